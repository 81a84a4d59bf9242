namespace Keel.Statistics;

/// <summary>
/// Samples per group needed to detect a difference between two rates with a two-proportion test.
/// <see cref="Uncorrected"/> and <see cref="Corrected"/> are the exact (fractional) solutions; round up with
/// <see cref="PerGroup"/> and <see cref="PerGroupCorrected"/>.
/// </summary>
/// <param name="P1">Expected rate of the first group.</param>
/// <param name="P2">Expected rate of the second group.</param>
/// <param name="Alpha">Significance level.</param>
/// <param name="Power">Power (1 − β).</param>
/// <param name="TwoSided">True for a two-sided test (α split over both tails).</param>
/// <param name="Uncorrected">n from the normal-approximation formula without continuity correction.</param>
/// <param name="Corrected">n with the Fleiss–Tytun–Ury continuity correction.</param>
public sealed record TwoProportionPlan(double P1, double P2, double Alpha, double Power, bool TwoSided, double Uncorrected, double Corrected)
{
    /// <summary>Samples per group without continuity correction, rounded up.</summary>
    public int PerGroup => SampleSize.RoundUp(Uncorrected);

    /// <summary>Samples per group with continuity correction, rounded up: the conservative figure Keel recommends.</summary>
    public int PerGroupCorrected => SampleSize.RoundUp(Corrected);

    /// <summary>
    /// Samples per condition so that a family of <paramref name="conditions"/> conditions reaches
    /// <see cref="PerGroupCorrected"/> decided samples per group: ⌈n / conditions⌉. See <see cref="SampleSize"/> for
    /// why this holds for the family mean.
    /// </summary>
    public int PerCondition(int conditions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(conditions, 1);
        return (PerGroupCorrected + conditions - 1) / conditions;
    }

    /// <summary>
    /// Per-family advice: for each (family, number of conditions), the samples per condition (<see cref="PerCondition"/>)
    /// and what that totals per group, in the input order.
    /// </summary>
    public IReadOnlyList<FamilyPlan> ForFamilies(IEnumerable<(string Family, int Conditions)> families)
    {
        ArgumentNullException.ThrowIfNull(families);
        return families.Select(f =>
        {
            var m = PerCondition(f.Conditions);
            return new FamilyPlan(f.Family, f.Conditions, m, m * f.Conditions);
        }).ToList();
    }
}

/// <summary>How many samples a family needs so its mean rate can be compared at the planned power.</summary>
/// <param name="Family">Behaviour family.</param>
/// <param name="Conditions">Conditions of the family (C).</param>
/// <param name="SamplesPerCondition">Samples per condition per group (m = ⌈n/C⌉): the <c>--samples</c> of <c>keel eval</c>.</param>
/// <param name="SamplesPerGroup">C × m.</param>
public sealed record FamilyPlan(string Family, int Conditions, int SamplesPerCondition, int SamplesPerGroup);

/// <summary>Samples needed for a Wilson interval no wider than <see cref="Width"/> when the observed rate is <see cref="Rate"/>.</summary>
/// <param name="Width">Target total width (high − low).</param>
/// <param name="Rate">Expected observed rate.</param>
/// <param name="Confidence">Confidence level of the interval.</param>
/// <param name="Samples">The smallest n whose Wilson interval at <see cref="Rate"/> is no wider than <see cref="Width"/>.</param>
/// <param name="Expected">The Wilson interval at <see cref="Rate"/> with <see cref="Samples"/> samples.</param>
public sealed record WidthPlan(double Width, double Rate, double Confidence, int Samples, Interval Expected);

/// <summary>
/// Planning: how many samples a comparison or an interval needs.
/// </summary>
/// <remarks>
/// <para>Two proportions (Fleiss, J. L., Levin, B. and Paik, M. C. 2003, Statistical Methods for Rates and Proportions,
/// 3rd ed., §4.2): with p̄ = (p1 + p2)/2, q = 1 − p, z_a the 1 − α/2 (two-sided) or 1 − α (one-sided) normal quantile and
/// z_b the power quantile, n = (z_a·√(2p̄q̄) + z_b·√(p1q1 + p2q2))² / (p1 − p2)² per group, the same n that R's
/// <c>power.prop.test</c> solves for. With the continuity correction of Fleiss, Tytun and Ury (1980, Biometrics
/// 36:343–346): n' = n/4 · (1 + √(1 + 4/(n·|p1 − p2|)))².</para>
/// <para>Per family: Keel's family rate is the unweighted mean of C condition rates. With m samples per condition its
/// variance is Σ p_c(1 − p_c)/(C²m) ≤ p̄(1 − p̄)/(Cm) (the binomial variance is concave), so C conditions × m samples
/// have at least the precision of one group of C·m samples at the family's mean rate; m = ⌈n/C⌉ per condition is enough
/// for the family-mean comparison (conservative when rates differ between conditions).</para>
/// </remarks>
public static class SampleSize
{
    /// <summary>Samples per group to tell <paramref name="p1"/> from <paramref name="p2"/> at level <paramref name="alpha"/> with <paramref name="power"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate, alpha or power outside (0, 1), or p1 equal to p2.</exception>
    public static TwoProportionPlan TwoProportions(double p1, double p2, double alpha = 0.05, double power = 0.8, bool twoSided = true)
    {
        Open(p1, nameof(p1), "a rate");
        Open(p2, nameof(p2), "a rate");
        Open(alpha, nameof(alpha), "a significance level");
        Open(power, nameof(power), "a power");
        if (p1 == p2) throw new ArgumentOutOfRangeException(nameof(p2), p2, "the two rates are equal: no sample size detects a zero difference");

        var za = StandardNormal.Quantile(1 - (twoSided ? alpha / 2 : alpha));
        var zb = StandardNormal.Quantile(power);
        var mean = (p1 + p2) / 2;
        var delta = Math.Abs(p1 - p2);
        var root = za * Math.Sqrt(2 * mean * (1 - mean)) + zb * Math.Sqrt(p1 * (1 - p1) + p2 * (1 - p2));
        var n = root * root / (delta * delta);
        var corrected = n / 4 * Math.Pow(1 + Math.Sqrt(1 + 4 / (n * delta)), 2);
        return new TwoProportionPlan(p1, p2, alpha, power, twoSided, n, corrected);
    }

    /// <summary>
    /// The smallest n whose Wilson interval at observed rate <paramref name="rate"/> is at most <paramref name="width"/> wide.
    /// The width 2z·√(pq·n + z²/4)/(n + z²) falls strictly as n grows, so n solves a quadratic; the result is then checked
    /// against <see cref="Wilson"/>'s own formula.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Width, rate or confidence outside (0, 1).</exception>
    public static WidthPlan WilsonWidth(double width, double rate, double confidence = 0.95)
    {
        Open(width, nameof(width), "an interval width");
        Open(rate, nameof(rate), "a rate");
        Open(confidence, nameof(confidence), "a confidence level");
        var z = StandardNormal.TwoSidedZ(confidence);
        var pq = rate * (1 - rate);
        var z2 = z * z;

        // √(pq·n + z²/4) = w(n + z²) with w = width / 2z, squared: w²n² + (2w²z² − pq)n + w²z⁴ − z²/4 = 0.
        var w = width / (2 * z);
        double qa = w * w, qb = 2 * w * w * z2 - pq, qc = w * w * z2 * z2 - z2 / 4;
        var root = (-qb + Math.Sqrt(qb * qb - 4 * qa * qc)) / (2 * qa);
        if (root > int.MaxValue / 2.0) throw new ArgumentOutOfRangeException(nameof(width), width, "the interval width is too small to plan for");
        var n = Math.Max(1, (int)Math.Ceiling(root));
        while (n > 1 && WidthAt(rate, n - 1, z) <= width) n--;
        while (WidthAt(rate, n, z) > width) n++;
        return new WidthPlan(width, rate, confidence, n, Wilson.AtRate(rate, n, z));
    }

    private static double WidthAt(double rate, int n, double z) => Wilson.AtRate(rate, n, z).Width;

    /// <summary>Rounds a sample size up, forgiving the last bits of floating-point error (481.0000000001 → 481).</summary>
    internal static int RoundUp(double n) => (int)Math.Ceiling(n - 1e-9 * Math.Max(1, n));

    private static void Open(double value, string name, string what)
    {
        if (!(value > 0 && value < 1)) throw new ArgumentOutOfRangeException(name, value, $"{what} strictly between 0 and 1 is needed");
    }
}
