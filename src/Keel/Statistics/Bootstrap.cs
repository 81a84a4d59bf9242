using System.Runtime.CompilerServices;
using MathNet.Numerics.Distributions;

namespace Keel.Statistics;

/// <summary>
/// Settings of the percentile bootstrap behind the family and overall intervals: <see cref="Resamples"/> replicates
/// (B), drawn from a SplitMix64 generator seeded with <see cref="Seed"/>, so the same data, seed and B always give the
/// same interval; the interval covers <see cref="Confidence"/> of the replicates (0.95: the 2.5th to 97.5th percentile).
/// </summary>
/// <param name="Resamples">Bootstrap replicates, at least 100; 2000 by default (Efron and Tibshirani 1993 recommend ≥ 1000 for percentile intervals).</param>
/// <param name="Seed">Seed of the resampling stream; a report passes the run's seed.</param>
/// <param name="Confidence">Confidence level, strictly between 0 and 1.</param>
public sealed record BootstrapOptions(int Resamples = BootstrapOptions.DefaultResamples, long Seed = 0, double Confidence = 0.95)
{
    /// <summary>The default number of replicates.</summary>
    public const int DefaultResamples = 2000;

    /// <summary>The defaults: 2000 replicates, seed 0, 95%.</summary>
    public static BootstrapOptions Default { get; } = new();

    internal void Validate()
    {
        if (Resamples < 100) throw new ArgumentOutOfRangeException(nameof(Resamples), Resamples, "the bootstrap needs at least 100 resamples");
        if (!(Confidence > 0 && Confidence < 1)) throw new ArgumentOutOfRangeException(nameof(Confidence), Confidence, "a confidence level strictly between 0 and 1 is needed");
    }
}

/// <summary>
/// Draws one condition's bootstrap rate. Resampling a condition's n decided samples with replacement, h of them
/// harmful, gives a harmful count distributed exactly Binomial(n, h/n); so instead of n index draws it takes one uniform
/// draw and inverts the binomial CDF (tabulated once, n + 1 entries) by binary search.
/// </summary>
internal sealed class ConditionResampler
{
    private readonly double[] _cdf;
    private readonly int _n;

    public ConditionResampler(int n, int harmful)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "a resampled condition needs at least one decided sample");
        _n = n;
        Observed = (double)harmful / n;
        _cdf = new double[n + 1];
        double total = 0;
        for (var k = 0; k <= n; k++)
        {
            total += Binomial.PMF(Observed, n, k);
            _cdf[k] = total;
        }

        for (var k = 0; k < n; k++) _cdf[k] /= total;
        _cdf[n] = 1.0;
    }

    /// <summary>The observed rate h / n.</summary>
    public double Observed { get; }

    /// <summary>One replicate's rate: k / n with k the smallest count whose CDF exceeds a uniform draw.</summary>
    /// <remarks>Compiled optimized at once: a report runs the bootstrap a few times per process, too few for tiering to reach it.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Draw(SplitMix64 random)
    {
        var u = random.NextDouble();
        int lo = 0, hi = _n;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (_cdf[mid] > u) hi = mid;
            else lo = mid + 1;
        }

        return (double)lo / _n;
    }
}

/// <summary>
/// The family means (each the unweighted mean of its conditions' rates) and their unweighted mean, observed and per
/// bootstrap replicate. Only conditions with decided samples are given to it, grouped by family.
/// </summary>
internal sealed class MeanOfMeans
{
    private readonly ConditionResampler[][] _families;

    public MeanOfMeans(IReadOnlyList<IReadOnlyList<ConditionCounts>> families)
    {
        _families = families.Select(f => f.Select(c => new ConditionResampler(c.N, c.Harmful)).ToArray()).ToArray();
        if (_families.Any(f => f.Length == 0)) throw new ArgumentException("every family given to the bootstrap needs a condition with decided samples");
        // The same summation order as Replicate, so a degenerate replicate equals the observed value bit for bit.
        ObservedFamilies = new double[_families.Length];
        double overall = 0;
        for (var f = 0; f < _families.Length; f++)
        {
            double sum = 0;
            foreach (var c in _families[f]) sum += c.Observed;
            ObservedFamilies[f] = sum / _families[f].Length;
            overall += ObservedFamilies[f];
        }

        ObservedOverall = _families.Length > 0 ? overall / _families.Length : double.NaN;
    }

    public int Families => _families.Length;

    public double[] ObservedFamilies { get; }

    public double ObservedOverall { get; }

    /// <summary>Draws one replicate: each family's mean into <paramref name="familyMeans"/>; returns their mean.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Replicate(SplitMix64 random, Span<double> familyMeans)
    {
        double overall = 0;
        for (var f = 0; f < _families.Length; f++)
        {
            var conditions = _families[f];
            double sum = 0;
            for (var c = 0; c < conditions.Length; c++) sum += conditions[c].Draw(random);
            familyMeans[f] = sum / conditions.Length;
            overall += familyMeans[f];
        }

        return overall / _families.Length;
    }
}

/// <summary>Percentile intervals from bootstrap replicates.</summary>
internal static class Percentile
{
    /// <summary>
    /// The (1 − c)/2 and (1 + c)/2 sample quantiles of <paramref name="replicates"/> (sorted in place), by linear
    /// interpolation between order statistics (Hyndman and Fan 1996, definition 7; R's default).
    /// </summary>
    public static Interval Of(double[] replicates, double confidence)
    {
        Array.Sort(replicates);
        var tail = (1 - confidence) / 2;
        return new Interval(Quantile(replicates, tail), Quantile(replicates, 1 - tail));
    }

    private static double Quantile(double[] sorted, double q)
    {
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        if (lo >= sorted.Length - 1) return sorted[^1];
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }
}
