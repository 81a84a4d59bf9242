using Keel.Statistics;
using Keel.Store;
using Keel.Suites;

namespace Keel.Evaluation;

/// <summary>A run's per-cell results, read from the store, in plan order (models as given, conditions as in the suite).</summary>
public static class RunResults
{
    /// <summary>Summarizes every stored sample of <paramref name="run"/>.</summary>
    public static async Task<IReadOnlyList<CellSummary>> LoadAsync(KeelStore store, RunRecord run, Suite suite, CancellationToken cancellationToken)
    {
        var cells = CellStatistics.Summarize(await store.OutcomesAsync(run.Id, cancellationToken).ConfigureAwait(false));
        var modelOrder = run.Config.Models.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i);
        var conditionOrder = suite.Conditions.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i);
        return cells
            .OrderBy(c => modelOrder.GetValueOrDefault(c.Model, int.MaxValue))
            .ThenBy(c => conditionOrder.GetValueOrDefault(c.Condition, int.MaxValue))
            .ToList();
    }
}
