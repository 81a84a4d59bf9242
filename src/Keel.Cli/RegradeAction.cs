using Keel.Evaluation;
using Keel.Grading.Judges;
using Keel.Models;
using Keel.Store;
using Keel.Yaml;
using Spectre.Console;

namespace Keel.Cli;

/// <summary>What <c>keel regrade</c> does once its arguments are parsed: load the run, grade it again, print the results.</summary>
internal static class RegradeAction
{
    public static async Task<int> RunAsync(RegradeOptions options, CancellationToken cancellationToken)
    {
        if (Validate(options) is { } problem)
        {
            Consoles.Error(problem);
            return ExitCodes.Usage;
        }

        var missing = $"no store at {options.Db}; pass the store the run was written to with --db";
        if (await StoreOpening.OpenAsync(options.Db, missing, cancellationToken) is not { } store) return ExitCodes.Usage;
        await using (store)
        {
            RegradePlan plan;
            ProviderModel? judgeModel = null;
            JudgePanel? judge = null;
            RunLock? runLock = null;
            try
            {
                plan = await RegradeSetup.PrepareAsync(store, options.Request, cancellationToken);
                runLock = RunLock.Acquire(store.Path, plan.Run.Id, "keel regrade");
                if (plan.Config.ResolvedJudge is { } settings)
                {
                    var modelSettings = new ModelRunSettings(options.Concurrency, options.RequestTimeout);
                    judgeModel = new ModelFactory().CreateJudge(settings.Endpoint, modelSettings, options.NoCache ? null : store);
                    judge = JudgePanel.Create(judgeModel, settings, plan.Suite);
                }
            }
            catch (Exception ex) when (ex is RegradeException or InputFormatException or ModelSpecException or ArgumentException or RunLockedException)
            {
                runLock?.Dispose();
                judgeModel?.Dispose();
                Consoles.Error(ex.Message);
                return ExitCodes.Usage;
            }

            using (runLock)
            using (judgeModel)
            {
                var earlier = await store.GradingsAsync(plan.Run.Id, cancellationToken);
                Describe(plan, earlier, store.Path);

                RegradeSummary summary;
                var cacheFailures = store.CacheWriteFailures;
                try
                {
                    summary = await RunWithProgressAsync(new Regrader(store), plan, judge, options.Concurrency, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    Console.Error.WriteLine("interrupted: every sample keeps one whole set of verdicts (the earlier or the new one). " +
                        $"Run the same command again to finish: {Command(plan, options)}");
                    return ExitCodes.RunFailure;
                }

                var run = plan.Regraded;
                var pass = (await store.GradingsAsync(run.Id, CancellationToken.None)).Single(g => g.Id == summary.GradingId);
                var cells = await RunResults.LoadAsync(store, run, plan.Suite, CancellationToken.None);
                var usage = await store.UsageAsync(run.Id, CancellationToken.None);
                // The judge line reports what this pass used, not what the judge used while the samples ran.
                var judgeSummary = await RunResults.JudgeAsync(store, run, CancellationToken.None) is { } j ? j with { Usage = pass.JudgeUsage } : null;
                var hasReference = run.Config.Models.Any(m => m.StartsWith("reference/", StringComparison.Ordinal));
                var adaptive = run.Config.Adaptive is { } rule ? AdaptiveReport.Of(rule, cells) : null;
                if (options.Json)
                {
                    ResultsJson.Write(Console.Out, run, cells, usage, judgeSummary, await store.GradingsAsync(run.Id, CancellationToken.None), adaptive);
                }
                else
                {
                    ResultsTable.Write(Consoles.Out, run, cells, usage, hasReference, judgeSummary);
                    if (adaptive is not null) AdaptiveOutput.Write(Consoles.Out, adaptive);
                    Consoles.Out.MarkupLine(Markup.Escape(PassLine(pass)));
                }

                if (store.CacheWriteFailures.WarningSince(cacheFailures) is { } cacheWarning) Console.Error.WriteLine(cacheWarning);
                Console.Error.WriteLine($"regraded {summary.Regraded} sample(s) of run {run.Id} (pass #{summary.GradingId}); no model under evaluation was called.");
                return ExitCodes.Success;
            }
        }
    }

    private static string? Validate(RegradeOptions options) => options switch
    {
        { Request: { Judge: not null, NoJudge: true } } => "--judge and --no-judge cannot be combined",
        { Request.Judge: null, ExplicitJudgeOptions.Count: > 0 } =>
            $"{string.Join(", ", options.ExplicitJudgeOptions)} grade with the LLM judge; give --judge SPEC as well (the run's own judge is regraded with its stored settings)",
        { Request.JudgeSamples: < 1 } => "--judge-samples must be at least 1",
        { Concurrency: < 1 } => "--concurrency must be at least 1",
        { RequestTimeout.TotalSeconds: <= 0 } => "--request-timeout must be above 0 seconds",
        _ => null,
    };

    /// <summary>What is about to happen, on stderr: the run, the graders, and earlier passes that did not finish.</summary>
    private static void Describe(RegradePlan plan, IReadOnlyList<GradingRecord> earlier, string storePath)
    {
        var run = plan.Run;
        Console.Error.WriteLine($"regrade: run {run.Id}, {plan.Samples.Count} sample(s) stored as done, suite {plan.Suite.Id} v{plan.Suite.Version} ({plan.Suite.ContentHash[..12]}), store {storePath}");
        if (plan.ChangedScenarios.Count > 0)
        {
            Console.Error.WriteLine($"warning: --allow-changed-suite: grading against the current suite; changed since the run: {string.Join(", ", plan.ChangedScenarios)}");
        }
        else if (plan.Suite.ContentHash != run.SuiteHash)
        {
            Console.Error.WriteLine("warning: --allow-changed-suite: the suite file changed since the run, none of the run's scenarios did");
        }

        var before = run.Config.ResolvedJudge;
        var after = plan.Config.ResolvedJudge;
        var judge = (before, after) switch
        {
            (null, null) => "no judge",
            ({ } b, null) => $"judge {b.Endpoint.Spec} dropped (--no-judge)",
            (null, { } a) => $"judge {Settings(a)} added",
            ({ } b, { } a) when b == a || (b.Endpoint.Spec == a.Endpoint.Spec && Settings(b) == Settings(a)) => $"the run's judge {Settings(a)}",
            ({ } b, { } a) => $"judge {Settings(a)} replaces {Settings(b)}",
        };
        Console.Error.WriteLine($"graders: the detectors of Keel {RunFactory.KeelVersion}; {judge}");
        foreach (var g in earlier.Where(g => g.FinishedAt is null))
        {
            Console.Error.WriteLine($"note: regrade pass #{g.Id} (started {g.StartedAt:u}) did not finish; this pass regrades every sample.");
        }
    }

    private static string Settings(JudgeSettings s)
    {
        var dimensions = s.DimensionIds.Count > 0 ? $", dimensions {string.Join(",", s.DimensionIds)}" : "";
        return $"{s.Endpoint.Spec} ({s.Samples} draw(s), {s.Vote.Name()} vote{dimensions})";
    }

    /// <summary>The graders behind the pass's verdicts, for the table's reader.</summary>
    private static string PassLine(GradingRecord pass) =>
        $"regrade pass #{pass.Id} (Keel {pass.KeelVersion}): " +
        string.Join(", ", (pass.Graders ?? []).Select(g => $"{g.GraderId} v{g.GraderVersion} ×{g.Verdicts}"));

    /// <summary>The command line that runs this regrade again (to finish it after an interrupt).</summary>
    private static string Command(RegradePlan plan, RegradeOptions options)
    {
        var r = options.Request;
        var parts = new List<string> { "keel", "regrade", plan.Run.Id, "--db", options.Db };
        if (r.NoJudge) parts.Add("--no-judge");
        if (r.Judge is { } spec)
        {
            parts.AddRange(["--judge", spec, "--judge-samples", r.JudgeSamples.ToString(System.Globalization.CultureInfo.InvariantCulture), "--judge-vote", r.JudgeVote.Name()]);
            if (r.Dimensions is { Count: > 0 } d) parts.AddRange(["--dimensions", string.Join(",", d)]);
            if (r.ModelsFile is { } m) parts.AddRange(["--models", m]);
        }

        if (r.AllowChangedSuite) parts.Add("--allow-changed-suite");
        return string.Join(' ', parts);
    }

    private static async Task<RegradeSummary> RunWithProgressAsync(Regrader regrader, RegradePlan plan, JudgePanel? judge, int concurrency,
        CancellationToken cancellationToken)
    {
        if (Console.IsErrorRedirected) return await regrader.RunAsync(plan, judge, concurrency, null, cancellationToken);
        return await Consoles.Err.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"regrade {plan.Run.Id}", maxValue: Math.Max(1, plan.Samples.Count));
                return await regrader.RunAsync(plan, judge, concurrency, new Reporter(p => task.Value = p.Completed), cancellationToken);
            });
    }

    private sealed class Reporter(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }
}
