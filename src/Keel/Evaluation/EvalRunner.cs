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
public sealed record RunSummary(int Planned, int AlreadyDone, int Ran, int Errors);

/// <summary>
/// Drives a run: plans every sample, skips those already stored as done, runs the rest concurrently
/// (agent loop, then graders), and writes each finished sample to the store atomically.
/// </summary>
public sealed class EvalRunner(KeelStore store, AgentLoop agentLoop)
{
    /// <summary>Runs (or resumes) <paramref name="run"/> over <paramref name="suite"/>.</summary>
    public async Task<RunSummary> RunAsync(RunRecord run, Suite suite, IReadOnlyList<IAgentModel> models, int concurrency,
        IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        var plan = RunPlan.For(run.Config, suite);
        var done = await store.DoneSampleKeysAsync(run.Id, cancellationToken).ConfigureAwait(false);
        var todo = plan.Samples.Where(s => !done.Contains(s.Key)).ToList();
        var byModel = models.ToDictionary(m => m.Spec, StringComparer.Ordinal);
        var graders = suite.Conditions.Select(c => c.Family).Distinct()
            .ToDictionary(f => f, f => FamilyCatalogue.Find(f)!.CreateDetector());

        var completed = plan.Samples.Count - todo.Count;
        var errors = 0;
        progress?.Report(new RunProgress(completed, plan.Samples.Count, 0));

        await Parallel.ForEachAsync(todo, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = cancellationToken },
            async (sample, ct) =>
            {
                var result = await RunSampleAsync(run, sample.Key, sample.Condition, byModel[sample.Key.Model], graders[sample.Condition.Family], ct).ConfigureAwait(false);
                await store.SaveSampleAsync(run.Id, result, ct).ConfigureAwait(false);
                var errorCount = result.Status == SampleStatus.Error ? Interlocked.Increment(ref errors) : Volatile.Read(ref errors);
                var count = result.Status == SampleStatus.Done ? Interlocked.Increment(ref completed) : Volatile.Read(ref completed);
                progress?.Report(new RunProgress(count, plan.Samples.Count, errorCount));
            }).ConfigureAwait(false);

        return new RunSummary(plan.Samples.Count, plan.Samples.Count - todo.Count, todo.Count, errors);
    }

    private async Task<SampleResult> RunSampleAsync(RunRecord run, SampleKey key, Condition condition, IAgentModel model, IGrader grader,
        CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var client = model.ClientFor(new SampleContext(run.Config.Seed, condition, key.Epoch));
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
