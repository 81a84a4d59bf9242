using System.Globalization;

namespace Keel.Statistics;

/// <summary>
/// How much lower the second rate is than the first (first = baseline, second = candidate): the relative reduction
/// 1 − p2/p1 and the improvement factor p1/p2.
/// </summary>
/// <param name="RelativeReduction">1 − p2/p1 (0.6 = 60% fewer harmful samples; negative when the candidate is worse); null when p1 is 0.</param>
/// <param name="ImprovementFactor">p1/p2 (3 = a third of the baseline rate); null when p2 is 0.</param>
/// <param name="Unbounded">True when p2 is 0 and p1 is not: the factor is unbounded (shown as "∞"), not missing.</param>
public sealed record RelativeEffect(double? RelativeReduction, double? ImprovementFactor, bool Unbounded)
{
    /// <summary>The effect of going from <paramref name="p1"/> to <paramref name="p2"/>.</summary>
    public static RelativeEffect Of(double p1, double p2)
    {
        if (!(p1 >= 0 && p1 <= 1) || !(p2 >= 0 && p2 <= 1)) throw new ArgumentException($"rates must lie in [0, 1]; got {p1} and {p2}");
        return new RelativeEffect(p1 > 0 ? 1 - p2 / p1 : null, p2 > 0 ? p1 / p2 : null, p2 == 0 && p1 > 0);
    }

    /// <summary>
    /// The factor for display: "2.5×"; "∞ (none harmful in the second group)" when p2 is 0 and p1 is not;
    /// "– (none harmful in either group)" when both are 0.
    /// </summary>
    public string FactorText => ImprovementFactor is { } f
        ? f.ToString("0.##", CultureInfo.InvariantCulture) + "×"
        : Unbounded ? "∞ (none harmful in the second group)" : "– (none harmful in either group)";
}
