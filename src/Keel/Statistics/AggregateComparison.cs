namespace Keel.Statistics;

/// <summary>
/// One family's mean rate in two groups (first = baseline, second = candidate) and their difference, over the conditions
/// both groups decided. Conditions only one group ran, or that either group has no decided sample in, are left out of
/// both means and counted in <see cref="ExcludedConditions"/>, so the two means are over the same conditions.
/// </summary>
/// <param name="Family">Behaviour family.</param>
/// <param name="Conditions">Conditions in both means.</param>
/// <param name="ExcludedConditions">Conditions left out (on one side only, or undecided on a side).</param>
/// <param name="Mean1">First group's mean of the condition rates; null when no condition is shared.</param>
/// <param name="Mean2">Second group's mean of the condition rates; null when no condition is shared.</param>
/// <param name="Difference">Mean1 − Mean2; null when no condition is shared.</param>
/// <param name="DifferenceCi">Percentile bootstrap interval of the difference; null with <see cref="Difference"/>.</param>
public sealed record FamilyDifference(string Family, int Conditions, int ExcludedConditions, double? Mean1, double? Mean2, double? Difference,
    Interval? DifferenceCi);

/// <summary>The difference of the overall means (the unweighted mean over families of the shared-condition family means).</summary>
/// <param name="Families">Families in both overall means.</param>
/// <param name="ExcludedFamilies">Families without a shared decided condition, left out.</param>
/// <param name="Mean1">First group's overall mean; null when no family is shared.</param>
/// <param name="Mean2">Second group's overall mean; null when no family is shared.</param>
/// <param name="Difference">Mean1 − Mean2; null when no family is shared.</param>
/// <param name="DifferenceCi">Percentile bootstrap interval of the difference; null with <see cref="Difference"/>.</param>
public sealed record OverallDifference(int Families, int ExcludedFamilies, double? Mean1, double? Mean2, double? Difference, Interval? DifferenceCi);

/// <summary>Family-level and overall differences between two groups, with the bootstrap settings that produced the intervals.</summary>
/// <param name="Families">One row per family of either group, first group's order first.</param>
/// <param name="Overall">The overall difference.</param>
/// <param name="Bootstrap">Replicates, seed and confidence.</param>
public sealed record AggregateComparison(IReadOnlyList<FamilyDifference> Families, OverallDifference Overall, BootstrapOptions Bootstrap)
{
    /// <summary>
    /// Compares the family and overall means of two groups (two runs, models or checkpoints), each given as its
    /// conditions' counts. Weighting as in <see cref="Aggregates"/> (conditions equal within a family, families equal
    /// overall), restricted to the conditions both groups decided. The interval: each replicate resamples both groups
    /// independently (binomial draw per condition, as in <see cref="Aggregates"/>) and takes the difference of the
    /// resulting means; the percentile interval of those differences. The groups are treated as independent; for paired
    /// samples this is conservative.
    /// </summary>
    /// <exception cref="ArgumentException">A group lists a condition twice or has impossible counts.</exception>
    public static AggregateComparison Of(IEnumerable<ConditionCounts> first, IEnumerable<ConditionCounts> second, BootstrapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        options ??= BootstrapOptions.Default;
        options.Validate();

        var a = Aggregates.GroupByFamily(first);
        var b = Aggregates.GroupByFamily(second);
        var familyNames = a.Select(f => f.Family).Concat(b.Select(f => f.Family)).Distinct().ToList();

        var shared1 = new List<IReadOnlyList<ConditionCounts>>();
        var shared2 = new List<IReadOnlyList<ConditionCounts>>();
        var layout = new List<(string Family, int Shared, int Excluded)>();
        foreach (var family in familyNames)
        {
            var x = a.FirstOrDefault(f => f.Family == family).Conditions ?? [];
            var y = (b.FirstOrDefault(f => f.Family == family).Conditions ?? []).ToDictionary(c => c.Condition, StringComparer.Ordinal);
            var pairs = x.Where(c => c.N > 0 && y.TryGetValue(c.Condition, out var d) && d.N > 0).Select(c => (c, y[c.Condition])).ToList();
            var all = x.Select(c => c.Condition).Union(y.Keys, StringComparer.Ordinal).Count();
            layout.Add((family, pairs.Count, all - pairs.Count));
            if (pairs.Count == 0) continue;
            shared1.Add(pairs.Select(p => p.c).ToList());
            shared2.Add(pairs.Select(p => p.Item2).ToList());
        }

        var m1 = new MeanOfMeans(shared1);
        var m2 = new MeanOfMeans(shared2);
        var replicates = new double[m1.Families + 1][];
        for (var i = 0; i < replicates.Length; i++) replicates[i] = new double[options.Resamples];
        if (m1.Families > 0)
        {
            var random = new SplitMix64(options.Seed);
            Span<double> f1 = new double[m1.Families], f2 = new double[m1.Families];
            for (var r = 0; r < options.Resamples; r++)
            {
                var o1 = m1.Replicate(random, f1);
                var o2 = m2.Replicate(random, f2);
                replicates[^1][r] = o1 - o2;
                for (var f = 0; f < m1.Families; f++) replicates[f][r] = f1[f] - f2[f];
            }
        }

        var rows = new List<FamilyDifference>(layout.Count);
        var slot = 0;
        foreach (var (family, shared, excluded) in layout)
        {
            if (shared == 0)
            {
                rows.Add(new FamilyDifference(family, 0, excluded, null, null, null, null));
                continue;
            }

            double x = m1.ObservedFamilies[slot], y = m2.ObservedFamilies[slot];
            rows.Add(new FamilyDifference(family, shared, excluded, x, y, x - y, Percentile.Of(replicates[slot], options.Confidence)));
            slot++;
        }

        var overall = m1.Families == 0
            ? new OverallDifference(0, layout.Count, null, null, null, null)
            : new OverallDifference(m1.Families, layout.Count - m1.Families, m1.ObservedOverall, m2.ObservedOverall,
                m1.ObservedOverall - m2.ObservedOverall, Percentile.Of(replicates[^1], options.Confidence));
        return new AggregateComparison(rows, overall, options);
    }
}
