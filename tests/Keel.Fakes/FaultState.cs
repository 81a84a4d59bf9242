namespace Keel.Fakes;

/// <summary>A plan with its draws and its limiter: swapped as one reference, so a request sees one consistent plan.</summary>
internal sealed class FaultState
{
    private FaultState(FaultPlan plan, FaultDice dice, SlidingWindowLimiter? limiter)
    {
        Plan = plan;
        Dice = dice;
        Limiter = limiter;
    }

    public FaultPlan Plan { get; }

    public FaultDice Dice { get; }

    public SlidingWindowLimiter? Limiter { get; }

    /// <summary>The state for <paramref name="plan"/>: draws restart from its seed; the limiter carries over if its limit and window are unchanged.</summary>
    public static FaultState For(FaultPlan plan, FaultState? previous, TimeProvider time)
    {
        var limiter = plan.RequestLimit is not { } limit ? null
            : previous?.Limiter is { } old && old.Limit == limit && old.Window == plan.RequestLimitWindow ? old
            : new SlidingWindowLimiter(limit, plan.RequestLimitWindow, time);
        return new FaultState(plan, new FaultDice(plan.Seed), limiter);
    }
}
