using Keel.Agents;
using Keel.Models;
using Keel.Store;
using Keel.Suites;

namespace Keel.Evaluation;

/// <summary>What a user asks for when starting a run, before anything is resolved.</summary>
/// <param name="Suite">Built-in suite name or suite file path.</param>
/// <param name="Models">Model specs as given.</param>
/// <param name="Samples">Samples per condition per model.</param>
/// <param name="Seed">Run seed; null draws one.</param>
/// <param name="Agent">Action mode and limits.</param>
/// <param name="Scenarios">Only these scenario ids; empty for all.</param>
/// <param name="ModelsFile">Models file; null reads ./keel.models.yaml when present.</param>
/// <param name="BaseUrl">Endpoint override for every provider model.</param>
/// <param name="Judge">The LLM judge's model spec; null for detectors only.</param>
/// <param name="JudgeSamples">Independent judge draws per rubric (k).</param>
/// <param name="JudgeVote">How the draws are folded.</param>
/// <param name="Dimensions">Extra judge dimensions (ids; comma-separated values are split).</param>
/// <param name="TargetWidth">Adaptive sampling: add rounds to a cell until its interval is no wider than this; null for fixed samples.</param>
/// <param name="MaxSamples">With <paramref name="TargetWidth"/>: the most samples a cell gets; null for <see cref="AdaptiveSampling.CapFactor"/> × samples.</param>
public sealed record RunRequest(
    string Suite,
    IReadOnlyList<string> Models,
    int Samples,
    long? Seed,
    AgentOptions Agent,
    IReadOnlyList<string> Scenarios,
    string? ModelsFile = null,
    string? BaseUrl = null,
    string? Judge = null,
    int JudgeSamples = 1,
    Keel.Grading.Judges.JudgeVote JudgeVote = Keel.Grading.Judges.JudgeVote.Majority,
    IReadOnlyList<string>? Dimensions = null,
    double? TargetWidth = null,
    int? MaxSamples = null);

/// <summary>A resume request that cannot be honoured (no such run, or its suite changed).</summary>
public sealed class ResumeException(string message) : Exception(message);

/// <summary>Turns a request into a run record with its suite, or reloads a stored run for resuming.</summary>
public static class RunSetup
{
    /// <summary>Resolves suite, models, endpoints and judge; throws input errors with a clear message.</summary>
    public static (RunRecord Run, Suite Suite) New(RunRequest request)
    {
        var suite = SuiteResolver.Resolve(request.Suite);
        var suiteRef = File.Exists(request.Suite) ? Path.GetFullPath(request.Suite) : request.Suite;
        var models = request.Models.Select(m => ModelSpec.Parse(m).ToString()).ToList();
        if (models.Distinct().Count() != models.Count) throw new ArgumentException("the same --model is given twice");
        var modelsFile = request.ModelsFile ?? (File.Exists(ModelsFile.DefaultName) ? ModelsFile.DefaultName : null);
        var entries = modelsFile is null ? null : ModelsFile.Load(modelsFile);
        var endpoints = EndpointResolver.Resolve(models, entries, request.BaseUrl);
        if (request.Judge is null && (request.JudgeSamples != 1 || request.Dimensions is { Count: > 0 }))
        {
            throw new ArgumentException("--judge-samples and --dimensions grade with the LLM judge; give --judge SPEC as well");
        }

        var judge = request.Judge is null ? null : ResolveJudge(request.Judge, request.JudgeSamples, request.JudgeVote, request.Dimensions, entries);
        if (request.TargetWidth is null && request.MaxSamples is not null) throw new ArgumentException("--max-samples caps adaptive sampling; give --target-width W as well");
        if (request.TargetWidth is { } width && width is not (> 0 and < 1))
        {
            throw new ArgumentException("--target-width must be above 0 and below 1: the width of a cell's 95% interval, e.g. 0.2 for ±10 points");
        }

        if (request.MaxSamples is { } cap && cap < request.Samples) throw new ArgumentException($"--max-samples ({cap}) must be at least --samples ({request.Samples})");
        var maxSamples = request.TargetWidth is null ? (int?)null : request.MaxSamples ?? AdaptiveSampling.DefaultCap(request.Samples);

        var config = new EvalConfig(suiteRef, models, request.Samples, request.Seed ?? RunFactory.NewSeed(), request.Agent,
            endpoints, request.Scenarios.Count > 0 ? request.Scenarios : null, judge?.Endpoint.Spec, judge, request.TargetWidth, maxSamples);
        return (RunFactory.Create(config, suite), suite);
    }

    /// <summary>
    /// A judge's settings from its spec, draws, vote and dimensions, with its endpoint from the models file (<paramref name="modelsFile"/>,
    /// else ./keel.models.yaml when present); also used by <c>keel grade</c> and <c>keel regrade --judge</c>. Throws
    /// <see cref="ModelSpecException"/>, <see cref="ArgumentException"/> or an input error naming the problem.
    /// </summary>
    public static Keel.Grading.Judges.JudgeSettings Judge(string judge, int samples, Keel.Grading.Judges.JudgeVote vote, IReadOnlyList<string>? dimensions, string? modelsFile)
    {
        var file = modelsFile ?? (File.Exists(ModelsFile.DefaultName) ? ModelsFile.DefaultName : null);
        return ResolveJudge(judge, samples, vote, dimensions, file is null ? null : ModelsFile.Load(file));
    }

    /// <summary>
    /// The judge's settings: its endpoint is its models-file entry or the bare spec (<c>--base-url</c> is for the models under
    /// evaluation, not the judge). A reference spec is not a model and cannot judge.
    /// </summary>
    private static Keel.Grading.Judges.JudgeSettings ResolveJudge(string judge, int samples, Keel.Grading.Judges.JudgeVote vote, IReadOnlyList<string>? dimensionIds,
        IReadOnlyDictionary<string, EndpointConfig>? entries)
    {
        var spec = ModelSpec.Parse(judge);
        if (spec.Provider == "reference") throw new ModelSpecException(ModelFactory.JudgeIsNotAModel(spec.ToString()));
        if (spec.Parameters.Count > 0) throw new ModelSpecException($"--judge {spec}: parameters after '?' are only for reference agents");
        if (samples < 1) throw new ArgumentException("--judge-samples must be at least 1");
        var endpoint = EndpointResolver.Resolve([spec.ToString()], entries, baseUrl: null)[0];
        if (spec.Provider == "openai-compatible" && endpoint.BaseUrl is null)
        {
            throw new ModelSpecException($"--judge {spec} needs a base_url in its models-file entry (--base-url applies to the evaluated models only)");
        }

        var dimensions = Keel.Grading.Judges.DimensionCatalogue.Parse(dimensionIds ?? []);
        return new Keel.Grading.Judges.JudgeSettings(endpoint, samples, vote, dimensions.Count > 0 ? dimensions : null);
    }

    /// <summary>Reloads a stored run and its suite, refusing when the suite's content changed since.</summary>
    public static async Task<(RunRecord Run, Suite Suite)> ResumeAsync(KeelStore store, string runId, CancellationToken cancellationToken)
    {
        var run = await store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false)
            ?? throw new ResumeException($"no run '{runId}' in {store.Path}; pass the store it was written to with --db");
        var suite = SuiteResolver.Resolve(run.Config.Suite);
        if (suite.ContentHash != run.SuiteHash)
        {
            throw new ResumeException($"suite '{run.Config.Suite}' changed since run {run.Id} started (hash {run.SuiteHash[..12]} → {suite.ContentHash[..12]}); " +
                "restore the original suite file to resume, or start a new run");
        }

        return (run, suite);
    }
}
