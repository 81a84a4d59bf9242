using Keel.Evaluation;

namespace Keel.Reports;

/// <summary>What a report says about a run: what it was, what reproduces it, how far it got and what it cost.</summary>
/// <param name="Id">Run id.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="KeelVersion">Keel version that created it.</param>
/// <param name="SuiteId">Suite id.</param>
/// <param name="SuiteVersion">Suite version.</param>
/// <param name="SuiteHash">SHA-256 of the suite's content.</param>
/// <param name="ScenarioHashes">SHA-256 of each scenario's content, by scenario id.</param>
/// <param name="Seed">Run seed.</param>
/// <param name="Models">Model specs, in run order.</param>
/// <param name="SamplesPerCondition">Samples (epochs) planned per condition and model.</param>
/// <param name="PlannedSamples">Samples the run has when complete.</param>
/// <param name="StoredSamples">Samples stored (finished or errored).</param>
/// <param name="Errors">Of those, errors.</param>
/// <param name="CostUsd">Spent by the models and the judge; null when a price is unknown.</param>
/// <param name="Judge">The LLM judge's spec; null when the run was graded by the detectors only.</param>
/// <param name="Gradings">The run's regrade passes, oldest first (empty when it was never regraded; null when not read).</param>
public sealed record RunOverview(
    string Id,
    DateTimeOffset CreatedAt,
    string KeelVersion,
    string SuiteId,
    string SuiteVersion,
    string SuiteHash,
    IReadOnlyDictionary<string, string> ScenarioHashes,
    long Seed,
    IReadOnlyList<string> Models,
    int SamplesPerCondition,
    int PlannedSamples,
    int StoredSamples,
    int Errors,
    decimal? CostUsd,
    string? Judge,
    IReadOnlyList<GradingPass>? Gradings = null)
{
    /// <summary>True when the run has every planned sample, none of them an error.</summary>
    public bool Complete => StoredSamples - Errors >= PlannedSamples;

    /// <summary>The overview of a stored run from its record, per-model usage, judge usage and regrade passes.</summary>
    public static RunOverview Of(RunRecord run, IReadOnlyList<Keel.Store.ModelUsage> usage, int errors, Keel.Grading.Judges.JudgeUsage? judgeUsage,
        IReadOnlyList<Keel.Store.GradingRecord>? gradings = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(usage);
        var priced = usage.All(u => u.CostUsd is not null) && (judgeUsage is null || judgeUsage.CostUsd is not null);
        decimal? cost = priced ? usage.Sum(u => u.CostUsd ?? 0) + (judgeUsage?.CostUsd ?? 0) : null;
        return new RunOverview(run.Id, run.CreatedAt, run.KeelVersion, run.SuiteId, run.SuiteVersion, run.SuiteHash, run.ScenarioHashes,
            run.Config.Seed, run.Config.Models, run.Config.Samples, run.PlannedSamples, usage.Sum(u => u.Samples), errors, cost,
            run.Config.ResolvedJudge?.Endpoint.Spec, gradings?.Select(GradingPass.Of).ToList() ?? []);
    }
}
