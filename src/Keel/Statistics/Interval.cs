namespace Keel.Statistics;

/// <summary>A confidence interval: a proportion's, a difference's or a bootstrap percentile interval.</summary>
/// <param name="Low">Lower bound.</param>
/// <param name="High">Upper bound.</param>
public readonly record struct Interval(double Low, double High)
{
    /// <summary>High − low.</summary>
    public double Width => High - Low;

    /// <summary>True when <paramref name="value"/> lies within the bounds (inclusive).</summary>
    public bool Contains(double value) => value >= Low && value <= High;
}
