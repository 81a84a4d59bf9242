namespace Keel.Fakes;

/// <summary>
/// What a <see cref="FakeProviderServer"/> does besides answering: a fixed latency, faults drawn per request
/// with the given probabilities (from a generator seeded with <see cref="Seed"/>), a sliding-window request limit,
/// or a status every request fails with. Immutable; assign a new plan to <see cref="FakeProviderServer.Faults"/>
/// (e.g. <c>server.Faults = server.Faults with { HangProbability = 0.1 }</c>) to change it at runtime.
/// </summary>
public sealed record FaultPlan
{
    /// <summary>No latency, no faults, no limit.</summary>
    public static FaultPlan None { get; } = new();

    /// <summary>Seed of the per-request fault draws: the same plan draws the same fault for the n-th request.</summary>
    public int Seed { get; init; }

    /// <summary>Delay before every response that passes the request limit (the client can abort it).</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Chance of a 429 with a <c>Retry-After</c> of <see cref="RetryAfterSeconds"/>.</summary>
    public double RateLimitProbability { get; init; }

    /// <summary>The <c>Retry-After</c> header, in seconds, of drawn 429s.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>Chance of a 500.</summary>
    public double ServerErrorProbability { get; init; }

    /// <summary>Chance of an "overloaded" error: 529 <c>overloaded_error</c> on Anthropic, 503 on OpenAI.</summary>
    public double OverloadedProbability { get; init; }

    /// <summary>Chance the server sends nothing for <see cref="HangDuration"/> (then drops the connection); ends early if the client aborts.</summary>
    public double HangProbability { get; init; }

    /// <summary>How long a hang lasts: far past any client timeout.</summary>
    public TimeSpan HangDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Chance of a 200 whose body is not valid JSON.</summary>
    public double MalformedJsonProbability { get; init; }

    /// <summary>Chance of a 200 whose body stops halfway through valid JSON, then the connection is aborted.</summary>
    public double TruncatedBodyProbability { get; init; }

    /// <summary>
    /// At most this many requests are admitted in any <see cref="RequestLimitWindow"/> (sliding); the rest get 429 with a
    /// <c>Retry-After</c> of the seconds until a slot frees. Null: no limit.
    /// </summary>
    public int? RequestLimit { get; init; }

    /// <summary>The window of <see cref="RequestLimit"/>: one minute, so the limit is requests per minute.</summary>
    public TimeSpan RequestLimitWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>When set, every request fails with this status and a provider-shaped error body (after <see cref="Latency"/>).</summary>
    public int? FailStatus { get; init; }

    /// <summary>The sum of the fault probabilities: the chance a request that passes the limit is not a success.</summary>
    public double FaultProbability =>
        RateLimitProbability + ServerErrorProbability + OverloadedProbability + HangProbability + MalformedJsonProbability + TruncatedBodyProbability;

    /// <summary>Throws <see cref="ArgumentException"/> if a probability is outside [0, 1], they sum past 1, or a limit or duration is not positive.</summary>
    public void Validate()
    {
        Probability(RateLimitProbability, nameof(RateLimitProbability));
        Probability(ServerErrorProbability, nameof(ServerErrorProbability));
        Probability(OverloadedProbability, nameof(OverloadedProbability));
        Probability(HangProbability, nameof(HangProbability));
        Probability(MalformedJsonProbability, nameof(MalformedJsonProbability));
        Probability(TruncatedBodyProbability, nameof(TruncatedBodyProbability));
        if (FaultProbability > 1 + 1e-9) throw new ArgumentException($"fault probabilities sum to {FaultProbability}, more than 1");
        if (Latency < TimeSpan.Zero) throw new ArgumentException("Latency must not be negative", nameof(Latency));
        if (HangDuration <= TimeSpan.Zero) throw new ArgumentException("HangDuration must be positive", nameof(HangDuration));
        if (RetryAfterSeconds < 0) throw new ArgumentException("RetryAfterSeconds must not be negative", nameof(RetryAfterSeconds));
        if (RequestLimit is <= 0) throw new ArgumentException("RequestLimit must be positive", nameof(RequestLimit));
        if (RequestLimitWindow <= TimeSpan.Zero) throw new ArgumentException("RequestLimitWindow must be positive", nameof(RequestLimitWindow));
        if (FailStatus is < 100 or > 599) throw new ArgumentException("FailStatus must be an HTTP status", nameof(FailStatus));
    }

    private static void Probability(double p, string name)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentException($"{name} must be from 0 to 1, not {p}", name);
    }
}
