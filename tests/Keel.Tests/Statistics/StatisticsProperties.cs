using FsCheck;
using FsCheck.Xunit;
using Keel.Statistics;
using Interval = Keel.Statistics.Interval;

namespace Keel.Tests.Statistics;

/// <summary>Properties over generated counts (FsCheck): bounds, containment, monotonicity, limits, reproducibility.</summary>
public class StatisticsProperties
{
    private const double Eps = 1e-12;

    private static (int K, int N) Count(NonNegativeInt k, PositiveInt n) => (k.Get % (n.Get + 1), n.Get);

    private static bool Inside(Interval ci, double low, double high) => ci.Low >= low - Eps && ci.High <= high + Eps && ci.Low <= ci.High + Eps;

    [Property(MaxTest = 500)]
    public bool Wilson_interval_lies_in_0_1_and_contains_the_rate(NonNegativeInt k, PositiveInt n)
    {
        var (x, m) = Count(k, n);
        var ci = Wilson.Interval(x, m);
        return Inside(ci, 0, 1) && ci.Contains((double)x / m);
    }

    [Property(MaxTest = 500)]
    public bool Wilson_interval_narrows_or_stays_as_n_grows_at_the_same_rate(NonNegativeInt k, PositiveInt n, PositiveInt factor)
    {
        var (x, m) = Count(k, n);
        var f = 1 + factor.Get % 50;
        return Wilson.Interval(x * f, m * f).Width <= Wilson.Interval(x, m).Width + Eps;
    }

    [Property(MaxTest = 500)]
    public bool Newcombe_difference_lies_in_minus1_1_and_contains_the_difference(NonNegativeInt k1, PositiveInt n1, NonNegativeInt k2, PositiveInt n2)
    {
        var (x1, m1) = Count(k1, n1);
        var (x2, m2) = Count(k2, n2);
        var ci = Newcombe.Difference(x1, m1, x2, m2);
        return Inside(ci, -1, 1) && ci.Contains((double)x1 / m1 - (double)x2 / m2);
    }

    [Property(MaxTest = 300)]
    public bool Newcombe_difference_is_antisymmetric(NonNegativeInt k1, PositiveInt n1, NonNegativeInt k2, PositiveInt n2)
    {
        var (x1, m1) = Count(k1, n1);
        var (x2, m2) = Count(k2, n2);
        var forward = Newcombe.Difference(x1, m1, x2, m2);
        var backward = Newcombe.Difference(x2, m2, x1, m1);
        return Math.Abs(forward.Low + backward.High) < Eps && Math.Abs(forward.High + backward.Low) < Eps;
    }

    /// <summary>
    /// Square-and-add: √(a² + b²) lies between a and a + b, so the difference interval is group 1's Wilson interval
    /// shifted by −p2, widened by at most group 2's Wilson half-widths (u2 − p2 below, p2 − l2 above). With group 2 at
    /// n = 10⁶ those are under 0.001: the interval is the shifted Wilson interval to within them.
    /// </summary>
    [Property(MaxTest = 300)]
    public bool Newcombe_difference_approaches_the_shifted_Wilson_interval_when_the_other_group_is_large(NonNegativeInt k1, PositiveInt n1, NonNegativeInt rate)
    {
        var (x1, m1) = Count(k1, n1);
        const int Large = 1_000_000;
        var x2 = (int)((long)(rate.Get % 101) * Large / 100);
        double p2 = (double)x2 / Large;
        var w1 = Wilson.Interval(x1, m1);
        var w2 = Wilson.Interval(x2, Large);
        var ci = Newcombe.Difference(x1, m1, x2, Large);
        var lowGap = (w1.Low - p2) - ci.Low;
        var highGap = ci.High - (w1.High - p2);
        return lowGap >= -Eps && lowGap <= w2.High - p2 + Eps && highGap >= -Eps && highGap <= p2 - w2.Low + Eps
            && w2.High - p2 < 0.001 && p2 - w2.Low < 0.001;
    }

    [Property(MaxTest = 500)]
    public bool Paired_difference_lies_in_minus1_1_and_contains_the_difference(NonNegativeInt a, NonNegativeInt b, NonNegativeInt c, PositiveInt d)
    {
        var ci = Newcombe.PairedDifference(a.Get, b.Get, c.Get, d.Get);
        var n = a.Get + b.Get + c.Get + d.Get;
        return Inside(ci, -1, 1) && ci.Contains((double)(b.Get - c.Get) / n);
    }

    [Property(MaxTest = 300)]
    public bool Exact_p_values_are_probabilities(NonNegativeInt a, NonNegativeInt b, NonNegativeInt c, NonNegativeInt d)
    {
        var fisher = FisherExact.TwoSided(a.Get, b.Get, c.Get, d.Get);
        var mcnemar = McNemar.ExactP(b.Get, c.Get);
        return fisher > 0 && fisher <= 1 && mcnemar > 0 && mcnemar <= 1;
    }

    [Property(MaxTest = 500)]
    public bool Holm_adjusted_p_values_are_at_least_raw_at_most_one_and_keep_the_raw_order(NonEmptyArray<NonNegativeInt> raw)
    {
        var p = raw.Get.Select(x => (x.Get % 1001) / 1000.0).ToArray();
        var adjusted = Holm.Adjust(p);
        for (var i = 0; i < p.Length; i++)
        {
            if (adjusted[i] < p[i] || adjusted[i] > 1) return false;
            for (var j = 0; j < p.Length; j++)
            {
                if (p[i] <= p[j] && adjusted[i] > adjusted[j]) return false;
            }
        }

        return true;
    }

    [Property(MaxTest = 100)]
    public bool Bootstrap_interval_contains_the_mean_of_condition_rates_and_is_reproducible(NonEmptyArray<Tuple<PositiveInt, NonNegativeInt, bool>> cells, int seed)
    {
        var counts = cells.Get.Take(30).Select((c, i) =>
        {
            var n = 1 + c.Item1.Get % 60;
            return new ConditionCounts(c.Item3 ? "A" : "B", $"c{i}", n, c.Item2.Get % (n + 1));
        }).ToList();
        var options = new BootstrapOptions(Resamples: 200, Seed: seed);
        var summary = Aggregates.Of(counts, options);
        var again = Aggregates.Of(counts, options);

        foreach (var f in summary.Families)
        {
            var rates = counts.Where(c => c.Family == f.Family).Select(c => c.Rate!.Value).ToList();
            if (Math.Abs(f.Mean!.Value - rates.Average()) > Eps || !f.MeanCi!.Value.Contains(f.Mean.Value)) return false;
        }

        return summary.Overall.MeanCi!.Value.Contains(summary.Overall.Mean!.Value)
            && summary.Families.Select(f => f.MeanCi).SequenceEqual(again.Families.Select(f => f.MeanCi))
            && summary.Overall.MeanCi == again.Overall.MeanCi;
    }

    [Property(MaxTest = 200)]
    public bool Width_plan_is_minimal(PositiveInt width, PositiveInt rate)
    {
        var w = 0.01 + (width.Get % 90) / 100.0;
        var p = (1 + rate.Get % 99) / 100.0;
        var plan = SampleSize.WilsonWidth(w, p);
        return Wilson.AtRate(p, plan.Samples).Width <= w && (plan.Samples == 1 || Wilson.AtRate(p, plan.Samples - 1).Width > w);
    }
}
