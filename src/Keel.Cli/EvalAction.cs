using Keel.Yaml;
using Keel.Agents;
using Keel.Evaluation;
using Keel.Grading.Judges;
using Keel.Models;
using Keel.Store;
using Keel.Suites;
using Spectre.Console;

namespace Keel.Cli;

/// <summary>What <c>keel eval</c> does once its arguments are parsed: wire the stages, print.</summary>
internal static class EvalAction
{
    public static async Task<int> RunAsync(EvalOptions options, CancellationToken cancellationToken)
    {
        if (Validate(options) is { } problem)
        {
            Consoles.Error(problem);
            return ExitCodes.Usage;
        }

        if (options.DryRun) return await DryRunAsync(options, cancellationToken);

        // A new run's suite and models file are checked before the store is touched.
        (RunRecord Run, Suite Suite)? fresh = null;
        if (options.Resume is null)
        {
            try
            {
                fresh = PrepareNew(options);
            }
            catch (Exception ex) when (ex is InputFormatException or ModelSpecException or ArgumentException)
            {
                Consoles.Error(ex.Message);
                return ExitCodes.Usage;
            }
        }

        if (await StoreOpening.OpenAsync(options.Db, missing: null, cancellationToken) is not { } store) return ExitCodes.Usage;
        await using (store)
        {
            RunRecord run;
            Suite suite;
            var models = new List<IAgentModel>();
            ProviderModel? judgeModel = null;
            JudgePanel? judge = null;
            RunLock? runLock = null;
            try
            {
                (run, suite) = fresh ?? await RunSetup.ResumeAsync(store, options.Resume!, cancellationToken);
                var factory = new ModelFactory();
                var settings = new ModelRunSettings(options.Concurrency, options.RequestTimeout, options.Otel,
                    options.BatchPoll is { } poll ? Keel.Models.Batch.BatchOptions.For(poll) : null);
                var endpoints = options.Request.BaseUrl is { } url ? EndpointResolver.WithBaseUrl(run.Config.ResolvedEndpoints, url) : run.Config.ResolvedEndpoints;
                models.AddRange(endpoints.Select(endpoint => factory.Create(endpoint, settings, options.NoCache ? null : store, store)));
                if (run.Config.ResolvedJudge is { } judgeSettings)
                {
                    // The judge has its own HTTP stack and concurrency; it calls directly even in batch mode.
                    judgeModel = factory.CreateJudge(judgeSettings.Endpoint, settings, options.NoCache ? null : store);
                    judge = JudgePanel.Create(judgeModel, judgeSettings, suite);
                }

                if (options.Resume is null) await store.CreateRunAsync(run, cancellationToken);
                runLock = RunLock.Acquire(store.Path, run.Id, options.Resume is null ? "keel eval" : "keel eval --resume");
            }
            catch (Exception ex) when (ex is InputFormatException or ModelSpecException or ArgumentException or ResumeException or RunLockedException)
            {
                models.ForEach(m => m.Dispose());
                judgeModel?.Dispose();
                Consoles.Error(ex.Message);
                return ExitCodes.Usage;
            }

            using var claimed = runLock;
            Console.Error.WriteLine($"run: {run.Id}");
            Console.Error.WriteLine($"suite {suite.Id} v{suite.Version} ({suite.ContentHash[..12]}), seed {run.Config.Seed}, {run.PlannedSamples} samples{(run.Config.Adaptive is null ? "" : " in the first round")}, store {store.Path}");
            if (run.Config.Adaptive is { } adaptive) Console.Error.WriteLine(AdaptiveOutput.Describe(adaptive));
            if (run.Config.ResolvedJudge is { } judged)
            {
                var dimensionNote = judged.DimensionIds.Count > 0 ? $"; dimensions: {string.Join(", ", judged.DimensionIds)}" : "";
                Console.Error.WriteLine($"judge: {judged.Endpoint.Spec} grades every sample beside the detectors ({judged.Samples} draw(s) per rubric, {judged.Vote.Name()} vote{dimensionNote})");
            }

            if (models.Any(m => m.IsReference))
            {
                Console.Error.WriteLine("note: reference/* agents are known-behaviour scripts for checking the harness and the graders, not models.");
            }

            RunSummary summary;
            var cacheFailures = store.CacheWriteFailures;
            using var telemetry = Telemetry.Start(options.Otel);
            try
            {
                var runner = new EvalRunner(store, AgentLoop.Default, judge);
                // In batch mode every sample is in flight at once, so each turn of every sample goes out in the same batch.
                var concurrency = options.BatchPoll is null ? options.Concurrency : Math.Max(options.Concurrency, run.PlannedSamples);
                summary = await RunWithProgressAsync(runner, run, suite, models, new RunOptions(concurrency, options.MaxCost), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Console.Error.WriteLine($"interrupted: finished samples are stored. Resume with: {ResumeCommand(run, options)}");
                return ExitCodes.RunFailure;
            }
            finally
            {
                models.ForEach(m => m.Dispose());
                judgeModel?.Dispose();
            }

            run = run with { PlannedSamples = summary.Planned }; // adaptive sampling plans rounds as it goes
            var cells = await RunResults.LoadAsync(store, run, suite, CancellationToken.None);
            var usage = await store.UsageAsync(run.Id, CancellationToken.None);
            var judgeSummary = await RunResults.JudgeAsync(store, run, CancellationToken.None);
            var adaptiveReport = run.Config.Adaptive is { } rule ? AdaptiveReport.Of(rule, cells) : null;
            if (options.Json)
            {
                ResultsJson.Write(Console.Out, run, cells, usage, judgeSummary, await store.GradingsAsync(run.Id, CancellationToken.None), adaptiveReport);
            }
            else
            {
                ResultsTable.Write(Consoles.Out, run, cells, usage, models.Any(m => m.IsReference), judgeSummary);
                if (adaptiveReport is not null) AdaptiveOutput.Write(Consoles.Out, adaptiveReport);
            }

            if (store.CacheWriteFailures.WarningSince(cacheFailures) is { } cacheWarning) Console.Error.WriteLine(cacheWarning);
            if (summary.StoppedAtBudget)
            {
                Console.Error.WriteLine($"stopped at --max-cost ${options.MaxCost}: finished samples are kept. Continue with: {ResumeCommand(run, options)} [--max-cost N]");
                return ExitCodes.RunFailure;
            }

            var errors = cells.Sum(c => c.Errors);
            if (errors > 0)
            {
                Console.Error.WriteLine($"{errors} sample(s) failed; retry them with: {ResumeCommand(run, options)}");
                return ExitCodes.RunFailure;
            }

            Console.Error.WriteLine($"ran {summary.Ran} sample(s), {summary.AlreadyDone} already stored; run {run.Id} complete.");
            return ExitCodes.Success;
        }
    }

    /// <summary>The command that continues this run the way it was going (batch mode included).</summary>
    private static string ResumeCommand(RunRecord run, EvalOptions options)
    {
        var batch = options.BatchPoll is { } poll
            ? poll == TimeSpan.FromSeconds(30) ? " --batch" : $" --batch --batch-poll {poll.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
            : "";
        return $"keel eval --resume {run.Id} --db {options.Db}{batch}";
    }

    private static async Task<int> DryRunAsync(EvalOptions options, CancellationToken cancellationToken)
    {
        RunRecord run;
        Suite suite;
        try
        {
            (run, suite) = PrepareNew(options);
        }
        catch (Exception ex) when (ex is InputFormatException or ModelSpecException or ArgumentException)
        {
            Consoles.Error(ex.Message);
            return ExitCodes.Usage;
        }

        var estimates = await new CostEstimator(AgentLoop.Default).EstimateAsync(run.Config, suite, cancellationToken);
        if (options.Json) DryRunOutput.WriteJson(Console.Out, run, estimates);
        else DryRunOutput.WriteTable(Consoles.Out, run, estimates);
        if (run.Config.ResolvedJudge is { } judge)
        {
            var rubrics = 1 + judge.DimensionIds.Count;
            Console.Error.WriteLine($"note: the estimate covers the agents only; the judge {judge.Endpoint.Spec} adds {judge.Samples * rubrics} call(s) per sample " +
                $"({judge.Samples} draw(s) × {rubrics} rubric(s)), each about one transcript long.");
        }

        if (run.Config.Adaptive is { } adaptive)
        {
            Console.Error.WriteLine($"note: the estimate covers the first round; {AdaptiveOutput.Describe(adaptive)}");
        }

        Console.Error.WriteLine("dry run: no model was called and nothing was stored.");
        return ExitCodes.Success;
    }

    private static string? Validate(EvalOptions options) => options switch
    {
        { DryRun: true, Resume: not null } => "--dry-run estimates a new run; it cannot be combined with --resume",
        { Resume: { } id, ExplicitRunOptions.Count: > 0 } =>
            $"--resume continues run {id} with the settings it was started with; drop {string.Join(", ", options.ExplicitRunOptions)}",
        { Request.Samples: < 1 } => "--samples must be at least 1",
        { Request.Agent.MaxTurns: < 1 } => "--max-turns must be at least 1",
        { Request.Agent.MaxTokens: < 1 } => "--max-tokens must be at least 1",
        { Concurrency: < 1 } => "--concurrency must be at least 1",
        { RequestTimeout.TotalSeconds: <= 0 } => "--request-timeout must be above 0 seconds",
        { MaxCost: < 0 } => "--max-cost must be 0 or more (USD)",
        { BatchPoll.TotalSeconds: <= 0 } => "--batch-poll must be above 0 seconds",
        { Request.JudgeSamples: < 1 } => "--judge-samples must be at least 1",
        { Request.Judge: null } when JudgeOnly(options) is { Count: > 0 } given =>
            $"{string.Join(", ", given)} grade with the LLM judge; give --judge SPEC as well",
        _ => null,
    };

    /// <summary>The judge options given explicitly.</summary>
    private static List<string> JudgeOnly(EvalOptions options) =>
        options.ExplicitRunOptions.Where(o => o is "--judge-samples" or "--judge-vote" or "--dimensions").ToList();

    private static (RunRecord, Suite) PrepareNew(EvalOptions options) => RunSetup.New(options.Request);

    private static async Task<RunSummary> RunWithProgressAsync(EvalRunner runner, RunRecord run, Suite suite, IReadOnlyList<IAgentModel> models,
        RunOptions runOptions, CancellationToken cancellationToken)
    {
        if (Console.IsErrorRedirected)
        {
            return await runner.RunAsync(run, suite, models, runOptions, null, cancellationToken);
        }

        return await Consoles.Err.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"eval {run.Id}", maxValue: run.PlannedSamples);
                var progress = new SynchronousProgress<RunProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.Planned);
                    task.Value = p.Completed;
                    task.Description = p.Errors > 0 ? $"eval {run.Id} ({p.Errors} errors)" : $"eval {run.Id}";
                });
                return await runner.RunAsync(run, suite, models, runOptions, progress, cancellationToken);
            });
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
