using MathNet.Numerics.Distributions;

namespace Keel.Statistics;

/// <summary>Fisher's exact test for a 2 × 2 table.</summary>
public static class FisherExact
{
    /// <summary>Relative tolerance for "as probable as the observed table", as in R's <c>fisher.test</c> (1 + 10⁻⁷).</summary>
    public const double RelativeTolerance = 1e-7;

    /// <summary>
    /// Two-sided p-value for the table [[<paramref name="a"/>, <paramref name="b"/>], [<paramref name="c"/>, <paramref name="d"/>]]
    /// (rows: groups; columns: harmful, not harmful): conditional on the margins, a is hypergeometric; the p-value sums the
    /// probabilities of every table no more probable than the observed one (Fisher 1935; the definition R's
    /// <c>fisher.test</c> uses, with its relative tolerance <see cref="RelativeTolerance"/> so ties are not lost to rounding).
    /// Probabilities are computed in log space (Math.NET's hypergeometric log-PMF) and scaled by the largest.
    /// </summary>
    /// <exception cref="ArgumentException">A count is negative.</exception>
    public static double TwoSided(int a, int b, int c, int d)
    {
        if (a < 0 || b < 0 || c < 0 || d < 0) throw new ArgumentException("table counts cannot be negative");
        int row1 = a + b, col1 = a + c, total = a + b + c + d;
        int lo = Math.Max(0, col1 - (total - row1)), hi = Math.Min(row1, col1);
        if (lo == hi) return 1;

        var logs = new double[hi - lo + 1];
        var max = double.NegativeInfinity;
        for (var x = lo; x <= hi; x++)
        {
            logs[x - lo] = Hypergeometric.PMFLn(total, col1, row1, x);
            max = Math.Max(max, logs[x - lo]);
        }

        double sum = 0, tail = 0;
        var observed = Math.Exp(logs[a - lo] - max);
        var threshold = observed * (1 + RelativeTolerance);
        foreach (var l in logs)
        {
            var p = Math.Exp(l - max);
            sum += p;
            if (p <= threshold) tail += p;
        }

        return Math.Min(1, tail / sum);
    }
}
