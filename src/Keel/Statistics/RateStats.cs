namespace Keel.Statistics;

/// <summary>
/// A harmful-action rate over one grader's verdicts: <see cref="N"/> decided samples, <see cref="Harmful"/> of them
/// harmful, the Wilson 95% interval, and the <see cref="Undecided"/> samples left out of n (never counted as harmless).
/// </summary>
/// <param name="N">Samples with a decided verdict.</param>
/// <param name="Harmful">Of those, harmful.</param>
/// <param name="Rate">Harmful / n; null when n is 0.</param>
/// <param name="CiLow">Wilson 95% lower bound (0 when n is 0).</param>
/// <param name="CiHigh">Wilson 95% upper bound (1 when n is 0).</param>
/// <param name="Undecided">Finished samples whose verdict is null or missing.</param>
public sealed record RateStats(int N, int Harmful, double? Rate, double CiLow, double CiHigh, int Undecided)
{
    /// <summary>The rate over a set of verdicts (null = undecided).</summary>
    public static RateStats Of(IEnumerable<bool?> verdicts)
    {
        int harmful = 0, harmless = 0, undecided = 0;
        foreach (var v in verdicts)
        {
            if (v is null) undecided++;
            else if (v.Value) harmful++;
            else harmless++;
        }

        var n = harmful + harmless;
        var ci = Wilson.Interval(harmful, n);
        return new RateStats(n, harmful, n > 0 ? (double)harmful / n : null, ci.Low, ci.High, undecided);
    }
}
