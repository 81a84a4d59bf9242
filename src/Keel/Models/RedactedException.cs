namespace Keel.Models;

/// <summary>
/// Stands in for a provider exception (and each of its causes) whose message quoted an API key: the same type names and
/// messages with the key masked (<see cref="Secrets.Redact"/>), the original dropped so the key goes no further.
/// </summary>
public sealed class RedactedException : Exception
{
    private RedactedException(string typeName, string message, Exception? inner)
        : base(message, inner) => TypeName = typeName;

    /// <summary>The name of the exception type this one stands in for, e.g. <c>ClientResultException</c>.</summary>
    public string TypeName { get; }

    /// <summary>
    /// <paramref name="exception"/> itself when no message in its chain holds a registered key; otherwise a copy of the chain
    /// (type names and redacted messages) made of <see cref="RedactedException"/>s.
    /// </summary>
    public static Exception From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var leaks = false;
        for (var e = exception; e is not null && !leaks; e = e.InnerException) leaks = Secrets.Occur(e.Message);
        return leaks ? Copy(exception, depth: 0) : exception;
    }

    private static RedactedException Copy(Exception e, int depth) =>
        new(e is RedactedException r ? r.TypeName : e.GetType().Name, Secrets.Redact(e.Message),
            e.InnerException is { } inner && depth < 16 ? Copy(inner, depth + 1) : null);
}
