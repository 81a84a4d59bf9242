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
        var cells = CellStatistics.Summarize(OutcomeCount.Expand(await store.OutcomeCountsAsync(run.Id, cancellationToken).ConfigureAwait(false)),
            judged: run.Config.ResolvedJudge is not null);
        var modelOrder = run.Config.Models.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i);
        var conditionOrder = suite.Conditions.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i);
        return cells
            .OrderBy(c => modelOrder.GetValueOrDefault(c.Model, int.MaxValue))
            .ThenBy(c => conditionOrder.GetValueOrDefault(c.Condition, int.MaxValue))
            .ToList();
    }

    /// <summary>
    /// The extra judge dimensions of <paramref name="run"/>, per model (in run order) × dimension (in the order given);
    /// empty when the run grades none.
    /// </summary>
    public static async Task<IReadOnlyList<DimensionSummary>> DimensionsAsync(KeelStore store, RunRecord run, CancellationToken cancellationToken)
    {
        var dimensions = run.Config.ResolvedJudge?.DimensionIds ?? [];
        if (dimensions.Count == 0) return [];
        var scores = dimensions.Where(d => Keel.Grading.Judges.DimensionCatalogue.Get(d).Kind == Keel.Grading.Judges.DimensionKind.Score).ToHashSet();
        var summaries = DimensionStatistics.Summarize(await store.DimensionOutcomesAsync(run.Id, cancellationToken).ConfigureAwait(false), scores);
        var modelOrder = run.Config.Models.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i);
        var dimensionOrder = dimensions.Select((d, i) => (d, i)).ToDictionary(x => x.d, x => x.i);
        return summaries
            .OrderBy(s => modelOrder.GetValueOrDefault(s.Model, int.MaxValue))
            .ThenBy(s => dimensionOrder.GetValueOrDefault(s.Dimension, int.MaxValue))
            .ToList();
    }

    /// <summary>
    /// The judge's side of <paramref name="run"/>: its settings, what it used, detector–judge agreement per model (over
    /// every condition) and the extra dimensions. Null when the run has no judge.
    /// </summary>
    public static async Task<JudgeSummary?> JudgeAsync(KeelStore store, RunRecord run, CancellationToken cancellationToken)
    {
        if (run.Config.ResolvedJudge is not { } settings) return null;
        var outcomes = OutcomeCount.Expand(await store.OutcomeCountsAsync(run.Id, cancellationToken).ConfigureAwait(false));
        var modelOrder = run.Config.Models.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i);
        var agreement = outcomes.Where(o => !o.Errored)
            .GroupBy(o => o.Model)
            .OrderBy(g => modelOrder.GetValueOrDefault(g.Key, int.MaxValue))
            .Select(g => new ModelAgreement(g.Key, Agreement.Of(g.Select(o => (o.Harmful, o.Judge))), g.Count(o => o.Judge is null)))
            .ToList();
        return new JudgeSummary(settings, await store.JudgeUsageAsync(run.Id, cancellationToken).ConfigureAwait(false), agreement,
            await DimensionsAsync(store, run, cancellationToken).ConfigureAwait(false));
    }
}

/// <summary>Detector–judge agreement over all of one model's finished samples.</summary>
/// <param name="Model">Model spec.</param>
/// <param name="Agreement">Agreement and Cohen's kappa over the samples both decided.</param>
/// <param name="JudgeUndecided">Finished samples whose judge verdict is undecided or missing.</param>
public sealed record ModelAgreement(string Model, Agreement Agreement, int JudgeUndecided);

/// <summary>The judge's side of a run's results.</summary>
/// <param name="Settings">How the judge graded.</param>
/// <param name="Usage">What it used over the stored samples; null before any sample was judged.</param>
/// <param name="Agreement">Detector–judge agreement per model.</param>
/// <param name="Dimensions">The extra dimensions per model × dimension.</param>
public sealed record JudgeSummary(
    Keel.Grading.Judges.JudgeSettings Settings,
    Keel.Grading.Judges.JudgeUsage? Usage,
    IReadOnlyList<ModelAgreement> Agreement,
    IReadOnlyList<DimensionSummary> Dimensions);
