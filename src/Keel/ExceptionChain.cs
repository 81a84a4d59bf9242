namespace Keel;

/// <summary>How Keel records a failure: the exception and its causes, since SDKs often wrap the informative message.</summary>
internal static class ExceptionChain
{
    /// <summary>
    /// "Type: message ← InnerType: inner message", outermost first, at most four distinct levels, with any registered API
    /// key masked (<see cref="Models.Secrets"/>).
    /// </summary>
    public static string Describe(Exception ex)
    {
        var parts = new List<string>();
        for (var e = ex; e is not null && parts.Count < 4; e = e.InnerException)
        {
            var part = $"{(e is Models.RedactedException r ? r.TypeName : e.GetType().Name)}: {e.Message}";
            if (!parts.Contains(part)) parts.Add(part);
        }

        return Models.Secrets.Redact(string.Join(" ← ", parts));
    }
}
