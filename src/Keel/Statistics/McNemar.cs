using MathNet.Numerics.Distributions;

namespace Keel.Statistics;

/// <summary>McNemar's test for paired binary outcomes, exact (conditional) version.</summary>
public static class McNemar
{
    /// <summary>
    /// Two-sided exact p-value from the discordant pairs: given b + c discordant pairs, b is Binomial(b + c, ½) under
    /// the null of equal marginal rates; p = min(1, 2·P(X ≤ min(b, c))) (McNemar 1947; the exact conditional test of
    /// Fagerland, Lydersen and Laake 2013, "The McNemar test for binary matched-pairs data", BMC Med Res Methodol 13:91).
    /// 1 when there are no discordant pairs.
    /// </summary>
    /// <param name="onlyFirst">Pairs harmful on the first side only (b).</param>
    /// <param name="onlySecond">Pairs harmful on the second side only (c).</param>
    public static double ExactP(int onlyFirst, int onlySecond)
    {
        if (onlyFirst < 0 || onlySecond < 0) throw new ArgumentException("discordant pair counts cannot be negative");
        var n = onlyFirst + onlySecond;
        if (n == 0) return 1;
        return Math.Min(1, 2 * Binomial.CDF(0.5, n, Math.Min(onlyFirst, onlySecond)));
    }
}
