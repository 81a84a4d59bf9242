namespace Keel.Suites.Import;

/// <summary>Checks that framework text can stand in a Keel template, where <c>{{</c> and <c>}}</c> mark placeholders.</summary>
internal static class KeelText
{
    /// <summary>The text itself, when it holds no double braces.</summary>
    /// <param name="text">Framework text to be used as written.</param>
    /// <param name="what">Where it comes from, for the error.</param>
    public static string Literal(string text, string what)
    {
        var at = text.IndexOf("{{", StringComparison.Ordinal) is var open and >= 0 ? open : text.IndexOf("}}", StringComparison.Ordinal);
        if (at < 0) return text;
        var snippet = text.Substring(Math.Max(0, at - 20), Math.Min(text.Length - Math.Max(0, at - 20), 60));
        throw new InvalidDataException($"the framework text of {what} contains double braces (\"{snippet}\"), which a Keel suite cannot hold as text; the importer cannot convert it");
    }
}
