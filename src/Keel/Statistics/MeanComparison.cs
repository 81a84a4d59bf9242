namespace Keel.Statistics;

/// <summary>
/// Two independent means compared (first = baseline, second = candidate), for scores such as the ethical-reasoning
/// score: the difference with Welch's standard error, a normal-approximation interval and a two-sided z-test p-value.
/// With fewer than two values on a side there is no variance estimate, and <see cref="DifferenceCi"/> and <see cref="P"/> are null.
/// </summary>
/// <param name="N1">Values of the first group.</param>
/// <param name="N2">Values of the second group.</param>
/// <param name="Mean1">First mean; null when the group is empty.</param>
/// <param name="Mean2">Second mean; null when the group is empty.</param>
/// <param name="Difference">Mean1 − Mean2 (first minus second, like every comparison here: positive when the candidate scores lower); null when a group is empty.</param>
/// <param name="DifferenceCi">Difference ± z · sqrt(s1²/n1 + s2²/n2); null without two values on each side.</param>
/// <param name="P">Two-sided p-value of the z statistic; null without an interval, or when both groups have zero variance.</param>
public sealed record MeanComparison(int N1, int N2, double? Mean1, double? Mean2, double? Difference, Interval? DifferenceCi, double? P)
{
    /// <summary>Compares the values of two groups (Welch 1947; normal approximation, fine for the tens of samples a run has).</summary>
    public static MeanComparison Of(IReadOnlyList<double> first, IReadOnlyList<double> second, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        double? m1 = first.Count > 0 ? first.Average() : null, m2 = second.Count > 0 ? second.Average() : null;
        if (m1 is not { } a || m2 is not { } b) return new MeanComparison(first.Count, second.Count, m1, m2, null, null, null);
        var difference = a - b;
        if (first.Count < 2 || second.Count < 2) return new MeanComparison(first.Count, second.Count, a, b, difference, null, null);
        var se = Math.Sqrt(Variance(first, a) / first.Count + Variance(second, b) / second.Count);
        var z = StandardNormal.TwoSidedZ(confidence);
        double? p = se > 0 ? 2 * MathNet.Numerics.Distributions.Normal.CDF(0, 1, -Math.Abs(difference) / se) : null;
        return new MeanComparison(first.Count, second.Count, a, b, difference, new Interval(difference - z * se, difference + z * se), p);
    }

    private static double Variance(IReadOnlyList<double> values, double mean) => values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
}
