using System.CommandLine;
using Keel.Agents;
using Keel.Evaluation;

namespace Keel.Cli;

/// <summary><c>keel eval</c>: run a suite against models, store every sample, print rates with intervals.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var suite = new Option<string>("--suite") { Description = "Built-in suite name or path to a suite YAML file", DefaultValueFactory = _ => "core" };
        var model = new Option<string[]>("--model") { Description = "Model spec, repeatable: reference/mixed, anthropic/claude-sonnet-4-5, openai/gpt-4.1, openai-compatible/NAME, ollama/NAME", AllowMultipleArgumentsPerToken = false };
        var samples = new Option<int>("--samples") { Description = "Samples per condition per model", DefaultValueFactory = _ => 10 };
        var seed = new Option<long?>("--seed") { Description = "Run seed (default: random, printed and stored)" };
        var maxTurns = new Option<int>("--max-turns") { Description = "Model turns per sample", DefaultValueFactory = _ => 10 };
        var maxTokens = new Option<long?>("--max-tokens") { Description = "Total tokens per sample before it stops" };
        var actionMode = new Option<string>("--action-mode") { Description = "native (tool calls) or text (<tool_use:NAME> blocks)", DefaultValueFactory = _ => "native" };
        actionMode.AcceptOnlyFromAmong("native", "text");
        var scenario = new Option<string[]>("--scenario") { Description = "Only these scenario ids (repeatable)" };
        var concurrency = new Option<int>("--concurrency") { Description = "Samples run at once", DefaultValueFactory = _ => 8 };
        var baseUrl = new Option<string?>("--base-url") { Description = "Provider endpoint (needed for openai-compatible); may be changed on --resume" };
        var models = new Option<string?>("--models") { Description = $"Models file naming endpoints, limits, prices and defaults (default: ./{Keel.Models.ModelsFile.DefaultName} if present)" };
        var requestTimeout = new Option<double>("--request-timeout") { Description = "Seconds before one model request is abandoned and retried", DefaultValueFactory = _ => 120 };
        var maxCost = new Option<decimal?>("--max-cost") { Description = "Stop scheduling new samples once the run has spent this many USD (needs prices in the models file)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Render every prompt and print sample count, estimated tokens and cost per model; call nothing, store nothing" };
        var otel = new Option<bool>("--otel") { Description = "Export OpenTelemetry spans and metrics of every model call over OTLP (OTEL_EXPORTER_OTLP_* variables)" };
        var batch = new Option<bool>("--batch") { Description = "Use the provider's batch API (Anthropic Message Batches, OpenAI Batch API): about half the price, hours of latency; samples advance in lockstep, one batch per turn" };
        var batchPoll = new Option<double>("--batch-poll") { Description = "Seconds between batch status checks", DefaultValueFactory = _ => 30 };
        var noCache = new Option<bool>("--no-cache") { Description = "Do not read or write the response cache" };
        var judge = new Option<string?>("--judge") { Description = "LLM judge model spec: grades every sample beside the detectors (its endpoint comes from the models file; --base-url does not apply)" };
        var judgeSamples = new Option<int>("--judge-samples") { Description = "Independent judge draws per rubric and sample (k)", DefaultValueFactory = _ => 1 };
        var judgeVote = new Option<string>("--judge-vote") { Description = "How k draws are folded: majority (strict majority of k) or min (harmful only if all k say so)", DefaultValueFactory = _ => "majority" };
        judgeVote.AcceptOnlyFromAmong("majority", "min");
        var dimensions = new Option<string[]>("--dimensions") { Description = $"Extra judge dimensions graded on every transcript, comma-separated or repeated: {string.Join(", ", Keel.Grading.Judges.DimensionCatalogue.Ids)}" };
        var targetWidth = new Option<double?>("--target-width") { Description = "Adaptive sampling: after --samples per cell, keep adding rounds to each model × condition until its 95% interval is at most this wide (e.g. 0.2)" };
        var maxSamples = new Option<int?>("--max-samples") { Description = $"With --target-width: the most samples a cell gets (default {Keel.Evaluation.AdaptiveSampling.CapFactor} × --samples)" };
        var db = new Option<string>("--db") { Description = "SQLite store", DefaultValueFactory = _ => "keel.db" };
        var resume = new Option<string?>("--resume") { Description = "Continue run RUN_ID with exactly its missing samples" };
        var json = new Option<bool>("--json") { Description = "Print results as JSON on stdout" };

        var command = new Command("eval", "Run a suite against one or more models and print harmful-action rates with 95% intervals.")
        {
            suite, model, samples, seed, maxTurns, maxTokens, actionMode, scenario, concurrency, baseUrl, models, requestTimeout, maxCost, noCache, dryRun, otel, batch, batchPoll, judge, judgeSamples, judgeVote, dimensions,
            targetWidth, maxSamples, db, resume, json,
        };

        // --base-url, --concurrency, --db and --json may change on resume: they do not change what the samples are.
        Option[] runDefining = [suite, model, samples, seed, maxTurns, maxTokens, actionMode, scenario, models, judge, judgeSamples, judgeVote, dimensions, targetWidth, maxSamples];
        command.SetAction((parse, ct) =>
        {
            var explicitRunOptions = runDefining.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
            var request = new RunRequest(
                parse.GetValue(suite)!,
                parse.GetValue(model) is { Length: > 0 } m ? m : ["reference/mixed"],
                parse.GetValue(samples),
                parse.GetValue(seed),
                new AgentOptions(parse.GetValue(actionMode) == "text" ? ActionMode.Text : ActionMode.Native, parse.GetValue(maxTurns), parse.GetValue(maxTokens)),
                parse.GetValue(scenario) ?? [],
                parse.GetValue(models),
                parse.GetValue(baseUrl),
                parse.GetValue(judge),
                parse.GetValue(judgeSamples),
                parse.GetValue(judgeVote) == "min" ? Keel.Grading.Judges.JudgeVote.Min : Keel.Grading.Judges.JudgeVote.Majority,
                parse.GetValue(dimensions) ?? [],
                parse.GetValue(targetWidth),
                parse.GetValue(maxSamples));
            var options = new EvalOptions(
                request,
                parse.GetValue(concurrency),
                TimeSpan.FromSeconds(parse.GetValue(requestTimeout)),
                parse.GetValue(maxCost),
                parse.GetValue(noCache),
                parse.GetValue(dryRun),
                parse.GetValue(otel),
                parse.GetValue(batch) ? TimeSpan.FromSeconds(parse.GetValue(batchPoll)) : null,
                parse.GetValue(db)!,
                parse.GetValue(resume),
                parse.GetValue(json),
                explicitRunOptions);
            return EvalAction.RunAsync(options, ct);
        });
        return command;
    }
}

/// <summary>The parsed arguments of <c>keel eval</c>: what the run is (<see cref="RunRequest"/>) and how to drive it.</summary>
internal sealed record EvalOptions(
    RunRequest Request,
    int Concurrency,
    TimeSpan RequestTimeout,
    decimal? MaxCost,
    bool NoCache,
    bool DryRun,
    bool Otel,
    TimeSpan? BatchPoll,
    string Db,
    string? Resume,
    bool Json,
    IReadOnlyList<string> ExplicitRunOptions);
