using Keel.Agents;
using Keel.Grading;
using Keel.Models;
using Keel.Store;
using Keel.Suites;

namespace Keel.Evaluation;

/// <summary>Progress of a run, reported after each stored sample.</summary>
/// <param name="Completed">Samples of the plan now stored as done (including those from before a resume).</param>
/// <param name="Planned">Samples in the plan.</param>
/// <param name="Errors">Samples stored as errors in this session.</param>
public sealed record RunProgress(int Completed, int Planned, int Errors);

/// <summary>What one call to <see cref="EvalRunner.RunAsync"/> did.</summary>
/// <param name="Planned">Samples in the plan.</param>
/// <param name="AlreadyDone">Samples stored as done before this call.</param>
/// <param name="Ran">Samples run and stored by this call.</param>
/// <param name="Errors">Of those, samples stored as errors.</param>
/// <param name="StoppedAtBudget">True when --max-cost stopped scheduling before the plan was done.</param>
public sealed record RunSummary(int Planned, int AlreadyDone, int Ran, int Errors, bool StoppedAtBudget = false);

/// <summary>How a run is driven (none of this changes what the samples are).</summary>
/// <param name="Concurrency">Samples in flight at once.</param>
/// <param name="MaxCost">Stop scheduling new samples once the run has spent this much (USD), counting earlier sessions.</param>
public sealed record RunOptions(int Concurrency = 8, decimal? MaxCost = null);

/// <summary>
/// Drives a run: plans every sample, skips those already stored as done, runs the rest concurrently
/// (agent loop, then graders), and writes each finished sample to the store atomically.
/// </summary>
public sealed class EvalRunner(KeelStore store, AgentLoop agentLoop)
{
    /// <summary>Runs (or resumes) <paramref name="run"/> over <paramref name="suite"/>.</summary>
    public async Task<RunSummary> RunAsync(RunRecord run, Suite suite, IReadOnlyList<IAgentModel> models, RunOptions options,
        IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        var plan = RunPlan.For(run.Config, suite);
        var done = await store.DoneSampleKeysAsync(run.Id, cancellationToken).ConfigureAwait(false);
        var todo = plan.Samples.Where(s => !done.Contains(s.Key)).ToList();
        var byModel = models.ToDictionary(m => m.Spec, StringComparer.Ordinal);
        var graders = suite.Conditions.Select(c => c.Family).Distinct()
            .ToDictionary(f => f, f => FamilyCatalogue.Find(f)!.CreateDetector());

        var prices = run.Config.ResolvedEndpoints.ToDictionary(e => e.Spec, e => e.Prices, StringComparer.Ordinal);

        var completed = plan.Samples.Count - todo.Count;
        var errors = 0;
        var ran = 0;
        var budget = new Budget(options.MaxCost, options.MaxCost is null ? 0 : await store.SpentAsync(run.Id, cancellationToken).ConfigureAwait(false));
        progress?.Report(new RunProgress(completed, plan.Samples.Count, 0));

        await Parallel.ForEachAsync(todo, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Concurrency), CancellationToken = cancellationToken },
            async (sample, ct) =>
            {
                if (budget.Exhausted) return;
                var result = await RunSampleAsync(run, sample.Key, sample.Condition, byModel[sample.Key.Model], graders[sample.Condition.Family], ct).ConfigureAwait(false);
                result = result with { CostUsd = prices.GetValueOrDefault(sample.Key.Model)?.Cost(result.Transcript.Usage) };
                await store.SaveSampleAsync(run.Id, result, ct).ConfigureAwait(false);
                budget.Spend(result.CostUsd ?? 0);
                Interlocked.Increment(ref ran);
                var errorCount = result.Status == SampleStatus.Error ? Interlocked.Increment(ref errors) : Volatile.Read(ref errors);
                var count = result.Status == SampleStatus.Done ? Interlocked.Increment(ref completed) : Volatile.Read(ref completed);
                progress?.Report(new RunProgress(count, plan.Samples.Count, errorCount));
            }).ConfigureAwait(false);

        return new RunSummary(plan.Samples.Count, plan.Samples.Count - todo.Count, ran, errors, budget.Exhausted && ran < todo.Count);
    }

    /// <summary>Spending against --max-cost, shared by the concurrent samples.</summary>
    private sealed class Budget(decimal? limit, decimal spent)
    {
        private readonly object _gate = new();
        private decimal _spent = spent;

        public bool Exhausted
        {
            get
            {
                if (limit is null) return false;
                lock (_gate) return _spent >= limit;
            }
        }

        public void Spend(decimal amount)
        {
            lock (_gate) _spent += amount;
        }
    }

    private async Task<SampleResult> RunSampleAsync(RunRecord run, SampleKey key, Condition condition, IAgentModel model, IGrader grader,
        CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var client = model.ClientFor(new SampleContext(run.Config.Seed, condition, key.Epoch, run.Id));
        var outcome = await agentLoop.RunAsync(client, condition.Spec, run.Config.Agent, cancellationToken).ConfigureAwait(false);
        if (outcome.Error is not null)
        {
            return new SampleResult(key, condition.ScenarioId, condition.Family, condition.Split, SampleStatus.Error, outcome.Error,
                outcome.Transcript, [], started, DateTimeOffset.UtcNow);
        }

        var verdict = await grader.GradeAsync(new GradingContext(outcome.Transcript, condition.Spec.Facts, condition.Spec.World), cancellationToken).ConfigureAwait(false);
        return new SampleResult(key, condition.ScenarioId, condition.Family, condition.Split, SampleStatus.Done, null,
            outcome.Transcript, [verdict], started, DateTimeOffset.UtcNow);
    }
}
