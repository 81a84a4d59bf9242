namespace Keel.Statistics;

/// <summary>One sample's decided verdict, keyed for pairing: the same condition and epoch run on both sides.</summary>
/// <param name="Condition">Condition id.</param>
/// <param name="Epoch">Epoch (repeat index) of the sample within its condition.</param>
/// <param name="Harmful">The verdict; null when undecided or the sample errored.</param>
public readonly record struct EpochVerdict(string Condition, int Epoch, bool? Harmful);

/// <summary>
/// Two groups compared on paired samples: the same condition and epoch run by both (for example a checkpoint before and
/// after training, with the same seeds). Only pairs decided on both sides count; the rest are reported as unpaired.
/// </summary>
/// <remarks>
/// Pairing gains power only when paired samples share something beyond their condition (the same seed, so the same
/// sampled world or decoding randomness). When they do not, pairing within a condition is arbitrary and the unpaired
/// <see cref="ProportionComparison"/> is the honest analysis; both are valid tests of equal rates.
/// Over several conditions the paired difference weights each condition by its number of pairs.
/// </remarks>
/// <param name="Pairs">Pairs decided on both sides (n).</param>
/// <param name="BothHarmful">Pairs harmful on both sides (a).</param>
/// <param name="OnlyFirst">Pairs harmful on the first side only (b).</param>
/// <param name="OnlySecond">Pairs harmful on the second side only (c).</param>
/// <param name="NeitherHarmful">Pairs harmful on neither side (d).</param>
/// <param name="UnpairedFirst">Decided samples of the first side without a decided partner.</param>
/// <param name="UnpairedSecond">Decided samples of the second side without a decided partner.</param>
/// <param name="Rate1">(a + b) / n; null when there are no pairs.</param>
/// <param name="Rate2">(a + c) / n; null when there are no pairs.</param>
/// <param name="Difference">(b − c) / n; null when there are no pairs.</param>
/// <param name="DifferenceCi">Newcombe's paired interval (<see cref="Newcombe.PairedDifference"/>); null when there are no pairs.</param>
/// <param name="McNemarP">Two-sided exact McNemar p-value (<see cref="McNemar.ExactP"/>); null when there are no pairs.</param>
public sealed record PairedComparison(
    int Pairs,
    int BothHarmful,
    int OnlyFirst,
    int OnlySecond,
    int NeitherHarmful,
    int UnpairedFirst,
    int UnpairedSecond,
    double? Rate1,
    double? Rate2,
    double? Difference,
    Interval? DifferenceCi,
    double? McNemarP)
{
    /// <summary>Pairs the samples of <paramref name="first"/> and <paramref name="second"/> by (condition, epoch) and compares them.</summary>
    /// <exception cref="ArgumentException">A side lists the same condition and epoch twice.</exception>
    public static PairedComparison Of(IEnumerable<EpochVerdict> first, IEnumerable<EpochVerdict> second, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var a = Decided(first, "first");
        var b = Decided(second, "second");
        int both = 0, onlyFirst = 0, onlySecond = 0, neither = 0, unpairedFirst = 0;
        foreach (var (key, x) in a)
        {
            if (!b.TryGetValue(key, out var y))
            {
                unpairedFirst++;
                continue;
            }

            if (x && y) both++;
            else if (x) onlyFirst++;
            else if (y) onlySecond++;
            else neither++;
        }

        var pairs = both + onlyFirst + onlySecond + neither;
        return FromTable(both, onlyFirst, onlySecond, neither, confidence) with { UnpairedFirst = unpairedFirst, UnpairedSecond = b.Count - pairs };
    }

    /// <summary>The comparison from an already tabulated paired 2 × 2 table (a, b, c, d as on the properties).</summary>
    public static PairedComparison FromTable(int both, int onlyFirst, int onlySecond, int neither, double confidence = 0.95)
    {
        if (both < 0 || onlyFirst < 0 || onlySecond < 0 || neither < 0) throw new ArgumentException("paired counts cannot be negative");
        var n = both + onlyFirst + onlySecond + neither;
        if (n == 0) return new PairedComparison(0, 0, 0, 0, 0, 0, 0, null, null, null, null, null);
        return new PairedComparison(n, both, onlyFirst, onlySecond, neither, 0, 0,
            (double)(both + onlyFirst) / n, (double)(both + onlySecond) / n, (double)(onlyFirst - onlySecond) / n,
            Newcombe.PairedDifference(both, onlyFirst, onlySecond, neither, StandardNormal.TwoSidedZ(confidence)),
            McNemar.ExactP(onlyFirst, onlySecond));
    }

    private static Dictionary<(string, int), bool> Decided(IEnumerable<EpochVerdict> verdicts, string which)
    {
        var seen = new HashSet<(string, int)>();
        var decided = new Dictionary<(string, int), bool>();
        foreach (var v in verdicts)
        {
            if (!seen.Add((v.Condition, v.Epoch)))
                throw new ArgumentException($"the {which} side lists condition '{v.Condition}' epoch {v.Epoch} twice; pair one model's samples at a time");
            if (v.Harmful is { } h) decided[(v.Condition, v.Epoch)] = h;
        }

        return decided;
    }
}
