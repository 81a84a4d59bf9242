namespace Keel.Statistics;

/// <summary>A proportion's confidence interval.</summary>
public readonly record struct Interval(double Low, double High);

/// <summary>The Wilson score interval for a binomial proportion, good at small n and at rates near 0 or 1.</summary>
public static class Wilson
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>The interval for <paramref name="successes"/> out of <paramref name="n"/>; (0, 1) when n is 0.</summary>
    public static Interval Interval(int successes, int n, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (successes < 0 || successes > n) throw new ArgumentOutOfRangeException(nameof(successes));
        if (n == 0) return new(0, 1);
        var p = (double)successes / n;
        var z2 = z * z;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var half = z * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        // Clamp the exact endpoints: at 0 or n successes the formula meets 0 or 1 up to rounding.
        var low = successes == 0 ? 0 : Math.Max(0, centre - half);
        var high = successes == n ? 1 : Math.Min(1, centre + half);
        return new(low, high);
    }
}
