using System.Collections.Concurrent;
using Keel.Evaluation;
using Keel.Grading.Judges;
using Keel.Statistics;
using Keel.Store;
using Keel.Suites;

namespace Keel.Reports;

/// <summary>Reads a stored run and computes what a report shows (<see cref="RunReport"/>).</summary>
public static class RunReportBuilder
{
    /// <summary>Builds the report of run <paramref name="runId"/>.</summary>
    /// <exception cref="ReportInputException">There is no such run in the store.</exception>
    public static async Task<RunReport> LoadAsync(KeelStore store, string runId, BootstrapOptions? bootstrap = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        bootstrap ??= BootstrapOptions.Default;
        var run = await store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false)
            ?? throw new ReportInputException($"there is no run '{runId}' in {store.Path}; 'keel report --db {store.Path}' lists the runs it has");
        var outcomes = OutcomeCount.Expand(await store.OutcomeCountsAsync(run.Id, cancellationToken).ConfigureAwait(false)).ToList();
        var judged = run.Config.ResolvedJudge is not null;
        var cells = Order(CellStatistics.Summarize(outcomes, judged), run);
        var usage = await store.UsageAsync(run.Id, cancellationToken).ConfigureAwait(false);
        var judgeUsage = judged ? await store.JudgeUsageAsync(run.Id, cancellationToken).ConfigureAwait(false) : null;
        var gradings = await store.GradingsAsync(run.Id, cancellationToken).ConfigureAwait(false);
        var overview = RunOverview.Of(run, usage, cells.Sum(c => c.Errors), judgeUsage, gradings);

        var models = cells.Select(c => c.Model).Distinct().Select(model =>
        {
            var mine = cells.Where(c => c.Model == model).ToList();
            AggregateSummary? Of(VerdictSource source) =>
                judged || source == VerdictSource.Detector ? Aggregates.Of(ConditionCounts.ForModel(mine, model, source), bootstrap) : null;
            var finished = outcomes.Where(o => o.Model == model && !o.Errored);
            return new ModelRates(model, Of(VerdictSource.Detector)!, Of(VerdictSource.Judge), Of(VerdictSource.Combined),
                judged ? Agreement.Of(finished.Select(o => (o.Harmful, o.Judge))) : null,
                mine.Sum(c => c.Errors), mine.Sum(c => c.Undecided));
        }).ToList();

        var dimensions = await RunResults.DimensionsAsync(store, run, cancellationToken).ConfigureAwait(false);
        return new RunReport(overview, cells, models, dimensions, bootstrap);
    }

    /// <summary>
    /// The condition order of each built-in suite read so far: embedded in Keel, it cannot change while the process runs
    /// (a suite file can, and is read again each time).
    /// </summary>
    private static readonly ConcurrentDictionary<string, Dictionary<string, int>> BuiltInOrders = new(StringComparer.Ordinal);

    /// <summary>Models in run order; conditions in the suite's order when the suite can still be read, else as stored.</summary>
    private static IReadOnlyList<CellSummary> Order(IReadOnlyList<CellSummary> cells, RunRecord run)
    {
        var modelOrder = run.Config.Models.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i);
        Dictionary<string, int> conditionOrder;
        try
        {
            var suite = run.Config.Suite;
            conditionOrder = SuiteResolver.IsBuiltIn(suite)
                ? BuiltInOrders.GetOrAdd(suite, ConditionOrder)
                : ConditionOrder(suite);
        }
        catch (Exception ex) when (ex is Keel.Yaml.InputFormatException or IOException or UnauthorizedAccessException)
        {
            // The suite file moved or changed shape since the run: keep the stored order.
            conditionOrder = cells.Select(c => c.Condition).Distinct().Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        }

        return cells
            .OrderBy(c => modelOrder.GetValueOrDefault(c.Model, int.MaxValue))
            .ThenBy(c => conditionOrder.GetValueOrDefault(c.Condition, int.MaxValue))
            .ToList();
    }

    private static Dictionary<string, int> ConditionOrder(string suite) =>
        SuiteResolver.Resolve(suite).Conditions.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i);
}
