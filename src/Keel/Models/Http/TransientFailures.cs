using System.Net;
using Polly.CircuitBreaker;

namespace Keel.Models.Http;

/// <summary>Which HTTP outcomes are worth retrying, which mean "overloaded", and how long the server asked us to wait.</summary>
public static class TransientFailures
{
    /// <summary>Anthropic's "overloaded" status.</summary>
    public const HttpStatusCode Overloaded = (HttpStatusCode)529;

    /// <summary>Statuses retried: 408, 429, 500, 502, 503, 504, 529.</summary>
    public static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or Overloaded;

    /// <summary>Statuses that tell the client to slow down.</summary>
    public static bool IsOverload(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or Overloaded;

    /// <summary>Server faults that count against the circuit breaker (rate limits do not).</summary>
    public static bool IsServerFault(HttpStatusCode status) => IsRetryable(status) && status != HttpStatusCode.TooManyRequests;

    /// <summary>Exceptions retried: connection failures, resets, truncated or malformed bodies (<see cref="MalformedResponseException"/>), timeouts, an open circuit.</summary>
    public static bool IsRetryable(Exception exception) =>
        exception is HttpRequestException or IOException or TimeoutException or BrokenCircuitException;

    /// <summary>The wait a response asks for: <c>retry-after-ms</c>, or <c>Retry-After</c> as seconds or a date; capped.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeSpan cap)
    {
        TimeSpan? wait = null;
        if (response.Headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var millis))
        {
            wait = TimeSpan.FromMilliseconds(millis);
        }
        else if (response.Headers.RetryAfter is { } header)
        {
            wait = header.Delta ?? (header.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        }

        if (wait is not { } w) return null;
        return w < TimeSpan.Zero ? TimeSpan.Zero : w > cap ? cap : w;
    }
}
