using Keel.Agents;

namespace Keel.Evaluation;

/// <summary>Everything that defines an evaluation run; stored with the run so it can be resumed and reproduced.</summary>
/// <param name="Suite">Built-in suite name or suite file path.</param>
/// <param name="Models">Model specs; every model runs the same samples.</param>
/// <param name="Samples">Samples (epochs) per condition per model.</param>
/// <param name="Seed">Run seed (reference agents draw from it; recorded for every run).</param>
/// <param name="Agent">Action mode and limits.</param>
/// <param name="Endpoints">How each model is reached, priced and parameterized (one per model, same order; never keys).</param>
/// <param name="Scenarios">Only these scenario ids; empty for all.</param>
/// <param name="Judge">The LLM judge's model spec; null when the run grades with the detectors only.</param>
/// <param name="JudgeSettings">How the judge grades: its endpoint, draws, vote and extra dimensions. Null with a judge only in runs
/// recorded by a Keel that stored the judge spec without calling it; those runs stay graded by the detectors only.</param>
/// <param name="TargetWidth">Adaptive sampling (<c>--target-width</c>): keep adding rounds to a model × condition cell while its
/// Wilson 95% interval (detector verdicts) is wider than this; null for a fixed <paramref name="Samples"/> per cell.</param>
/// <param name="MaxSamples">With <paramref name="TargetWidth"/>: the most samples (epochs) a cell gets (<c>--max-samples</c>).</param>
public sealed record EvalConfig(
    string Suite,
    IReadOnlyList<string> Models,
    int Samples,
    long Seed,
    AgentOptions Agent,
    IReadOnlyList<Keel.Models.EndpointConfig>? Endpoints = null,
    IReadOnlyList<string>? Scenarios = null,
    string? Judge = null,
    Keel.Grading.Judges.JudgeSettings? JudgeSettings = null,
    double? TargetWidth = null,
    int? MaxSamples = null)
{
    /// <summary>The sampling rule: adaptive when the run has a target width, otherwise null (a fixed number of samples).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public AdaptiveSampling? Adaptive => TargetWidth is { } width ? new AdaptiveSampling(width, MaxSamples ?? AdaptiveSampling.DefaultCap(Samples), Samples) : null;

    /// <summary>
    /// The judge's settings when the run grades with an LLM judge; null otherwise, including runs whose judge spec was only
    /// recorded (before the judge graded anything): they keep grading with the detectors only, on resume too.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Keel.Grading.Judges.JudgeSettings? ResolvedJudge => Judge is null ? null : JudgeSettings;

    /// <summary>The endpoint of each model: the stored one, or the bare spec.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<Keel.Models.EndpointConfig> ResolvedEndpoints =>
        Endpoints ?? Models.Select(m => new Keel.Models.EndpointConfig(m)).ToList();
}

/// <summary>A run as stored: its config and what reproduces it.</summary>
/// <param name="Id">Run id.</param>
/// <param name="CreatedAt">UTC creation time.</param>
/// <param name="KeelVersion">Keel version that created it.</param>
/// <param name="Config">The configuration.</param>
/// <param name="SuiteId">Suite id.</param>
/// <param name="SuiteVersion">Suite version string.</param>
/// <param name="SuiteHash">SHA-256 of the suite file.</param>
/// <param name="ScenarioHashes">SHA-256 of each scenario's source, by scenario id.</param>
/// <param name="PlannedSamples">Samples the run will have when complete. With adaptive sampling, the samples planned so far: the first
/// round when the run is created, raised in the store as cells plan further rounds.</param>
public sealed record RunRecord(
    string Id,
    DateTimeOffset CreatedAt,
    string KeelVersion,
    EvalConfig Config,
    string SuiteId,
    string SuiteVersion,
    string SuiteHash,
    IReadOnlyDictionary<string, string> ScenarioHashes,
    int PlannedSamples);
