namespace Keel.Models.Http;

/// <summary>How hard Keel tries before a call counts as failed.</summary>
/// <param name="RequestTimeout">Per-attempt limit from sending the request to the end of the response body.</param>
/// <param name="MaxRetries">Retries after the first attempt (429, 5xx, 529, timeouts, connection resets, open circuit).</param>
/// <param name="BaseDelay">First backoff delay; it doubles each retry, with jitter, up to <paramref name="MaxDelay"/>.</param>
/// <param name="MaxDelay">Longest wait between attempts, also the cap on a server's Retry-After.</param>
/// <param name="BreakDuration">How long an open circuit pauses the model before it tries again (at least 0.5 s).</param>
public sealed record ResilienceOptions(
    TimeSpan RequestTimeout,
    int MaxRetries = 8,
    TimeSpan? BaseDelay = null,
    TimeSpan? MaxDelay = null,
    TimeSpan? BreakDuration = null)
{
    /// <summary>Defaults: 120 s timeout, 8 retries from 1 s up to 60 s, 15 s circuit pause.</summary>
    public static ResilienceOptions Default { get; } = new(TimeSpan.FromSeconds(120));

    /// <summary>The first backoff delay.</summary>
    public TimeSpan FirstDelay => BaseDelay ?? TimeSpan.FromSeconds(1);

    /// <summary>The longest wait.</summary>
    public TimeSpan LongestDelay => MaxDelay ?? TimeSpan.FromSeconds(60);

    /// <summary>The circuit pause.</summary>
    public TimeSpan Pause => BreakDuration ?? TimeSpan.FromSeconds(15);
}
