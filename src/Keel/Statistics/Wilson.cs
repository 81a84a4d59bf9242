namespace Keel.Statistics;

/// <summary>The Wilson score interval for a binomial proportion, good at small n and at rates near 0 or 1.</summary>
public static class Wilson
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// The interval for <paramref name="successes"/> out of <paramref name="n"/>; (0, 1) when n is 0.
    /// <paramref name="z"/> is the two-sided standard normal quantile (<see cref="StandardNormal.TwoSidedZ"/>): 1.96 for 95%.
    /// </summary>
    /// <remarks>
    /// Wilson, E. B. (1927), "Probable inference, the law of succession, and statistical inference", JASA 22:209–212;
    /// Newcombe, R. G. (1998), "Two-sided confidence intervals for the single proportion: comparison of seven methods",
    /// Statistics in Medicine 17:857–872, method 3. Centre (p + z²/2n)/(1 + z²/n), half-width
    /// z·√(p(1−p)/n + z²/4n²)/(1 + z²/n).
    /// </remarks>
    public static Interval Interval(int successes, int n, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (successes < 0 || successes > n) throw new ArgumentOutOfRangeException(nameof(successes));
        if (n == 0) return new(0, 1);
        var ci = AtRate((double)successes / n, n, z);
        // Clamp the exact endpoints: at 0 or n successes the formula meets 0 or 1 up to rounding.
        return new(successes == 0 ? 0 : ci.Low, successes == n ? 1 : ci.High);
    }

    /// <summary>
    /// The same formula at an observed rate that need not be a whole count over n (for planning: the interval a rate
    /// of <paramref name="rate"/> would get with <paramref name="n"/> samples), clamped to [0, 1].
    /// </summary>
    public static Interval AtRate(double rate, int n, double z = Z95)
    {
        if (!(rate >= 0 && rate <= 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "a rate in [0, 1] is needed");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        var z2 = z * z;
        var denominator = 1 + z2 / n;
        var centre = (rate + z2 / (2 * n)) / denominator;
        var half = z * Math.Sqrt(rate * (1 - rate) / n + z2 / (4.0 * n * n)) / denominator;
        return new(Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
