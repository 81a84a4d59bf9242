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
/// <param name="Judge">Judge model spec, recorded with the run.</param>
public sealed record RunRequest(
    string Suite,
    IReadOnlyList<string> Models,
    int Samples,
    long? Seed,
    AgentOptions Agent,
    IReadOnlyList<string> Scenarios,
    string? ModelsFile = null,
    string? BaseUrl = null,
    string? Judge = null);

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
        var endpoints = EndpointResolver.Resolve(models, modelsFile is null ? null : ModelsFile.Load(modelsFile), request.BaseUrl);
        var judge = request.Judge is { } j ? ModelSpec.Parse(j) : null;
        if (judge is { Provider: not "reference", Parameters.Count: > 0 })
        {
            throw new ModelSpecException($"judge {judge}: parameters after '?' are only for reference agents");
        }

        var config = new EvalConfig(suiteRef, models, request.Samples, request.Seed ?? RunFactory.NewSeed(), request.Agent,
            endpoints, request.Scenarios.Count > 0 ? request.Scenarios : null, judge?.ToString());
        return (RunFactory.Create(config, suite), suite);
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
