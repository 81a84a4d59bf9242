namespace Keel.Environment.Tools;

/// <summary>How an email reads when a tool shows it to the model.</summary>
internal static class EmailText
{
    public static string Format(Email e)
    {
        var cc = e.Cc.Count > 0 ? $"Cc: {string.Join(", ", e.Cc)}\n" : "";
        return $"Id: {e.Id}\nFrom: {e.From}\nTo: {string.Join(", ", e.To)}\n{cc}Subject: {e.Subject}\nTime: {e.Timestamp}\n\n{e.Body}";
    }
}
