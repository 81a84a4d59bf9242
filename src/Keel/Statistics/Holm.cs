namespace Keel.Statistics;

/// <summary>Holm's step-down correction of p-values for multiple comparisons (family-wise error rate).</summary>
public static class Holm
{
    /// <summary>
    /// Adjusted p-values, in the input order: with the m p-values sorted ascending p(1) ≤ … ≤ p(m),
    /// adj(i) = min(1, max over j ≤ i of (m − j + 1)·p(j)) (Holm, S. 1979, "A simple sequentially rejective multiple test
    /// procedure", Scand J Statist 6:65–70; the same as R's <c>p.adjust(method = "holm")</c>). Rejecting where
    /// adj ≤ α controls the family-wise error rate at α.
    /// </summary>
    /// <exception cref="ArgumentException">A p-value is outside [0, 1] or NaN.</exception>
    public static IReadOnlyList<double> Adjust(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var m = pValues.Count;
        for (var i = 0; i < m; i++)
        {
            if (!(pValues[i] >= 0 && pValues[i] <= 1)) throw new ArgumentException($"p-value {i} is {pValues[i]}; p-values lie in [0, 1]");
        }

        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
        var adjusted = new double[m];
        double running = 0;
        for (var rank = 0; rank < m; rank++)
        {
            var i = order[rank];
            running = Math.Max(running, Math.Min(1, (m - rank) * pValues[i]));
            adjusted[i] = running;
        }

        return adjusted;
    }

    /// <summary>As <see cref="Adjust(IReadOnlyList{double})"/>, where null entries (no test possible) are left null and do not count in m.</summary>
    public static IReadOnlyList<double?> Adjust(IReadOnlyList<double?> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var present = Enumerable.Range(0, pValues.Count).Where(i => pValues[i] is not null).ToArray();
        var adjusted = Adjust(present.Select(i => pValues[i]!.Value).ToArray());
        var result = new double?[pValues.Count];
        for (var k = 0; k < present.Length; k++) result[present[k]] = adjusted[k];
        return result;
    }
}
