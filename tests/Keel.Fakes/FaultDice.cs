namespace Keel.Fakes;

/// <summary>
/// A seeded, lock-free source of uniform draws: the n-th draw is a SplitMix64 hash of (seed, n), with n taken by
/// <see cref="Interlocked.Increment(ref long)"/>. Thread-safe, and the same seed gives the same sequence of draws.
/// </summary>
internal sealed class FaultDice(int seed)
{
    private readonly ulong _seed = (ulong)(uint)seed * 0xD1B54A32D192ED03UL;
    private long _draws;

    /// <summary>The next draw, uniform in [0, 1).</summary>
    public double Next()
    {
        var z = _seed + (ulong)Interlocked.Increment(ref _draws) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>Draws the fault of one request under <paramref name="plan"/>; <see cref="FakeOutcome.Success"/> for none.</summary>
    public FakeOutcome Draw(FaultPlan plan)
    {
        if (plan.FaultProbability <= 0) return FakeOutcome.Success;
        var u = Next();
        if ((u -= plan.RateLimitProbability) < 0) return FakeOutcome.RateLimited;
        if ((u -= plan.ServerErrorProbability) < 0) return FakeOutcome.ServerError;
        if ((u -= plan.OverloadedProbability) < 0) return FakeOutcome.Overloaded;
        if ((u -= plan.HangProbability) < 0) return FakeOutcome.Hang;
        if ((u -= plan.MalformedJsonProbability) < 0) return FakeOutcome.MalformedJson;
        if ((u -= plan.TruncatedBodyProbability) < 0) return FakeOutcome.TruncatedBody;
        return FakeOutcome.Success;
    }
}
