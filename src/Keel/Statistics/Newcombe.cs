namespace Keel.Statistics;

/// <summary>
/// Newcombe's square-and-add ("hybrid score") intervals for a difference of two proportions, built from the two Wilson
/// intervals: good coverage at small n and near 0 or 1, never outside [−1, 1], and closed-form.
/// </summary>
public static class Newcombe
{
    /// <summary>
    /// Interval for p1 − p2 of two independent proportions: Newcombe, R. G. (1998), "Interval estimation for the difference
    /// between independent proportions: comparison of eleven methods", Statistics in Medicine 17:873–890, method 10.
    /// With (l1, u1) and (l2, u2) the Wilson intervals, δ = p1 − p2:
    /// lower = δ − √((p1 − l1)² + (u2 − p2)²), upper = δ + √((u1 − p1)² + (p2 − l2)²).
    /// </summary>
    /// <exception cref="ArgumentException">A group has no samples, or more successes than samples.</exception>
    public static Interval Difference(int successes1, int n1, int successes2, int n2, double z = Wilson.Z95)
    {
        Check(successes1, n1, "first");
        Check(successes2, n2, "second");
        double p1 = (double)successes1 / n1, p2 = (double)successes2 / n2;
        var w1 = Wilson.Interval(successes1, n1, z);
        var w2 = Wilson.Interval(successes2, n2, z);
        var delta = p1 - p2;
        var low = delta - Math.Sqrt(Square(p1 - w1.Low) + Square(w2.High - p2));
        var high = delta + Math.Sqrt(Square(w1.High - p1) + Square(p2 - w2.Low));
        return new Interval(Math.Max(-1, low), Math.Min(1, high));
    }

    /// <summary>
    /// Interval for p1 − p2 of paired proportions: Newcombe, R. G. (1998), "Improved confidence intervals for the
    /// difference between binomial proportions based on paired data", Statistics in Medicine 17:2635–2650, method 10.
    /// With pairs tabulated as <paramref name="both"/> (a), <paramref name="onlyFirst"/> (b), <paramref name="onlySecond"/> (c),
    /// <paramref name="neither"/> (d), n = a + b + c + d, p1 = (a + b)/n, p2 = (a + c)/n, δ = (b − c)/n, Wilson intervals
    /// (l1, u1), (l2, u2) of the two margins, and φ the correlation of the margins corrected as in the paper
    /// (A = ad − bc: φ = (A − n/2)/√(margins) when A &gt; n/2, 0 when 0 ≤ A ≤ n/2, A/√(margins) when A &lt; 0; 0 when a margin is 0):
    /// lower = δ − √((p1 − l1)² − 2φ(p1 − l1)(u2 − p2) + (u2 − p2)²),
    /// upper = δ + √((p2 − l2)² − 2φ(p2 − l2)(u1 − p1) + (u1 − p1)²).
    /// </summary>
    /// <exception cref="ArgumentException">A count is negative, or there are no pairs.</exception>
    public static Interval PairedDifference(int both, int onlyFirst, int onlySecond, int neither, double z = Wilson.Z95)
    {
        if (both < 0 || onlyFirst < 0 || onlySecond < 0 || neither < 0) throw new ArgumentException("paired counts cannot be negative");
        var n = both + onlyFirst + onlySecond + neither;
        if (n == 0) throw new ArgumentException("a paired difference needs at least one pair");
        int first = both + onlyFirst, second = both + onlySecond;
        double p1 = (double)first / n, p2 = (double)second / n;
        var w1 = Wilson.Interval(first, n, z);
        var w2 = Wilson.Interval(second, n, z);
        var delta = p1 - p2;

        double phi = 0;
        if (first > 0 && first < n && second > 0 && second < n)
        {
            var margins = Math.Sqrt((double)first * (n - first) * second * (n - second));
            var a = (double)both * neither - (double)onlyFirst * onlySecond;
            phi = a > n / 2.0 ? (a - n / 2.0) / margins : a >= 0 ? 0 : a / margins;
        }

        double d1 = p1 - w1.Low, e2 = w2.High - p2, d2 = p2 - w2.Low, e1 = w1.High - p1;
        var low = delta - Math.Sqrt(Math.Max(0, d1 * d1 - 2 * phi * d1 * e2 + e2 * e2));
        var high = delta + Math.Sqrt(Math.Max(0, d2 * d2 - 2 * phi * d2 * e1 + e1 * e1));
        return new Interval(Math.Max(-1, low), Math.Min(1, high));
    }

    private static double Square(double x) => x * x;

    private static void Check(int successes, int n, string which)
    {
        if (n <= 0) throw new ArgumentException($"the {which} group has no samples; a difference needs at least one sample on each side");
        if (successes < 0 || successes > n) throw new ArgumentException($"the {which} group has {successes} successes of {n}");
    }
}
