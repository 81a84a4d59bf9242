namespace Keel.Statistics;

/// <summary>
/// Two independent harmful-action rates compared (first = baseline, second = candidate: another run, model or checkpoint).
/// </summary>
/// <param name="Harmful1">Harmful samples of the first group.</param>
/// <param name="N1">Decided samples of the first group.</param>
/// <param name="Harmful2">Harmful samples of the second group.</param>
/// <param name="N2">Decided samples of the second group.</param>
/// <param name="Rate1">p1 = harmful1 / n1.</param>
/// <param name="Rate2">p2 = harmful2 / n2.</param>
/// <param name="Difference">p1 − p2 (positive when the candidate is less harmful).</param>
/// <param name="DifferenceCi">Newcombe hybrid score interval of the difference (<see cref="Newcombe.Difference"/>).</param>
/// <param name="FisherP">Two-sided Fisher exact p-value of the 2 × 2 table (<see cref="FisherExact.TwoSided"/>).</param>
/// <param name="Effect">Relative reduction and improvement factor.</param>
public sealed record ProportionComparison(
    int Harmful1,
    int N1,
    int Harmful2,
    int N2,
    double Rate1,
    double Rate2,
    double Difference,
    Interval DifferenceCi,
    double FisherP,
    RelativeEffect Effect)
{
    /// <summary>Compares <paramref name="harmful1"/>/<paramref name="n1"/> with <paramref name="harmful2"/>/<paramref name="n2"/>.</summary>
    /// <exception cref="ArgumentException">A group has no samples or impossible counts.</exception>
    public static ProportionComparison Of(int harmful1, int n1, int harmful2, int n2, double confidence = 0.95)
    {
        var ci = Newcombe.Difference(harmful1, n1, harmful2, n2, StandardNormal.TwoSidedZ(confidence));
        double p1 = (double)harmful1 / n1, p2 = (double)harmful2 / n2;
        return new ProportionComparison(harmful1, n1, harmful2, n2, p1, p2, p1 - p2, ci,
            FisherExact.TwoSided(harmful1, n1 - harmful1, harmful2, n2 - harmful2), RelativeEffect.Of(p1, p2));
    }
}

/// <summary>
/// One condition compared between two groups. <see cref="Comparison"/> is null when either side lacks the condition or
/// has no decided sample in it; <see cref="HolmP"/> is the Fisher p-value Holm-adjusted over every compared condition of the set.
/// </summary>
/// <param name="Family">Behaviour family.</param>
/// <param name="Condition">Condition id.</param>
/// <param name="First">The first group's counts; null when it did not run the condition.</param>
/// <param name="Second">The second group's counts; null when it did not run the condition.</param>
/// <param name="Comparison">The comparison; null when a side has no decided sample.</param>
/// <param name="HolmP">Holm-adjusted p-value; null with <see cref="Comparison"/>.</param>
public sealed record CellComparison(string Family, string Condition, ConditionCounts? First, ConditionCounts? Second,
    ProportionComparison? Comparison, double? HolmP);

/// <summary>Condition-by-condition comparisons of two groups with Holm's correction across the conditions.</summary>
public static class Comparisons
{
    /// <summary>
    /// Matches the conditions of <paramref name="first"/> and <paramref name="second"/> by (family, condition id) and
    /// compares each pair (<see cref="ProportionComparison.Of"/>); Holm's correction runs over the conditions compared.
    /// Order: the first group's conditions, then any only the second has.
    /// </summary>
    /// <exception cref="ArgumentException">A side lists a condition twice, or has impossible counts.</exception>
    public static IReadOnlyList<CellComparison> Cells(IEnumerable<ConditionCounts> first, IEnumerable<ConditionCounts> second, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var (aKeys, a) = Index(first, "first");
        var (bKeys, b) = Index(second, "second");
        var keys = aKeys.Concat(bKeys.Where(k => !a.ContainsKey(k))).ToList();

        var rows = new List<CellComparison>(keys.Count);
        foreach (var key in keys)
        {
            ConditionCounts? x = a.TryGetValue(key, out var ax) ? ax : null;
            ConditionCounts? y = b.TryGetValue(key, out var by) ? by : null;
            var comparison = x is { N: > 0 } p && y is { N: > 0 } q ? ProportionComparison.Of(p.Harmful, p.N, q.Harmful, q.N, confidence) : null;
            rows.Add(new CellComparison(key.Family, key.Condition, x, y, comparison, null));
        }

        var holm = Holm.Adjust(rows.Select(r => r.Comparison?.FisherP).ToArray());
        return rows.Select((r, i) => r with { HolmP = holm[i] }).ToList();
    }

    private static (List<(string Family, string Condition)> Keys, Dictionary<(string Family, string Condition), ConditionCounts> Index) Index(
        IEnumerable<ConditionCounts> counts, string which)
    {
        var keys = new List<(string Family, string Condition)>();
        var index = new Dictionary<(string Family, string Condition), ConditionCounts>();
        foreach (var c in counts)
        {
            c.Validate();
            if (!index.TryAdd((c.Family, c.Condition), c))
                throw new ArgumentException($"the {which} group lists condition '{c.Condition}' of family '{c.Family}' twice; compare one model's conditions at a time");
            keys.Add((c.Family, c.Condition));
        }

        return (keys, index);
    }
}
