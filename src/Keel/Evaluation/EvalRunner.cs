using System.Threading.Channels;
using Keel.Agents;
using Keel.Models;
using Keel.Store;
using Keel.Suites;

namespace Keel.Evaluation;

/// <summary>Progress of a run, reported after each stored sample.</summary>
/// <param name="Completed">Samples of the plan now stored as done (including those from before a resume).</param>
/// <param name="Planned">Samples in the plan so far (with adaptive sampling it grows round by round).</param>
/// <param name="Errors">Samples stored as errors in this session.</param>
public sealed record RunProgress(int Completed, int Planned, int Errors);

/// <summary>What one call to <see cref="EvalRunner.RunAsync"/> did.</summary>
/// <param name="Planned">Samples in the plan when the call ended (adaptive sampling: the rounds planned so far).</param>
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
/// Drives a run: plans every sample (round by round with adaptive sampling, <see cref="AdaptiveSampling"/>), skips those
/// already stored as done, runs the rest concurrently
/// (agent loop, then graders: the family detector and, when the run has one, the LLM judge), and writes each finished
/// sample to the store atomically.
/// </summary>
/// <param name="store">Where samples are stored.</param>
/// <param name="agentLoop">The agent loop.</param>
/// <param name="judge">The run's LLM judge; null to grade with the detectors only.</param>
public sealed class EvalRunner(KeelStore store, AgentLoop agentLoop, Keel.Grading.Judges.JudgePanel? judge = null)
{
    /// <summary>Runs (or resumes) <paramref name="run"/> over <paramref name="suite"/>.</summary>
    public async Task<RunSummary> RunAsync(RunRecord run, Suite suite, IReadOnlyList<IAgentModel> models, RunOptions options,
        IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        var rounds = SampleRounds.Restore(run.Config, suite, await store.DetectorVerdictsAsync(run.Id, cancellationToken).ConfigureAwait(false));
        var todo = rounds.Todo();
        var byModel = models.ToDictionary(m => m.Spec, StringComparer.Ordinal);
        var grader = SampleGrader.For(suite, judge);

        var prices = run.Config.ResolvedEndpoints.ToDictionary(e => e.Spec, e => e.Prices, StringComparer.Ordinal);

        var alreadyDone = rounds.Done;
        // The stored planned count follows the rounds (kept at the most ever planned), so reports can tell a complete run.
        if (rounds.Planned > run.PlannedSamples) await store.RaisePlannedSamplesAsync(run.Id, rounds.Planned, cancellationToken).ConfigureAwait(false);
        var plannedWrites = new System.Collections.Concurrent.ConcurrentQueue<Task>();
        var completed = alreadyDone;
        var errors = 0;
        var ran = 0;
        var skipped = 0;
        var budget = new Budget(options.MaxCost, options.MaxCost is null ? 0 : await store.SpentAsync(run.Id, cancellationToken).ConfigureAwait(false));
        progress?.Report(new RunProgress(completed, rounds.Planned, 0));

        // The samples to run: the plan's missing ones, then (adaptive sampling) each cell's next round once its round is
        // stored. The queue closes when no sample is left open: run, stored, and its next round (if any) queued.
        // Samples are marked as running on their model when queued (batch mode sends a turn once every one of them waits).
        var queue = Channel.CreateUnbounded<(SampleKey Key, Condition Condition)>();
        using var running = new RunningSamples(byModel);
        var open = todo.Count;
        foreach (var sample in todo) Enqueue(sample);
        if (open == 0) queue.Writer.TryComplete();

        void Enqueue((SampleKey Key, Condition Condition) sample)
        {
            running.Queued(sample.Key);
            queue.Writer.TryWrite(sample);
        }

        void Close(IReadOnlyList<(SampleKey Key, Condition Condition)> next)
        {
            Interlocked.Add(ref open, next.Count);
            foreach (var sample in next) Enqueue(sample);
            if (Interlocked.Decrement(ref open) == 0) queue.Writer.TryComplete();
        }

        // A sample's slot is free once its result is handed to the store: the next sample's model calls need not wait
        // for the commit. The sample counts as run (and is reported) only when its commit completes; RunAsync returns
        // only after every handed-over sample is committed (or dropped by cancellation), and a failed commit stops the run.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var saves = new PendingSaves(Math.Max(1, options.Concurrency), stop);
        try
        {
            await Parallel.ForEachAsync(queue.Reader.ReadAllAsync(stop.Token),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Concurrency), CancellationToken = stop.Token },
                async (sample, ct) =>
                {
                    if (budget.Exhausted)
                    {
                        running.Ended(sample.Key);
                        Interlocked.Increment(ref skipped);
                        Close([]);
                        return;
                    }

                    var result = await RunSampleAsync(run, sample.Key, sample.Condition, byModel[sample.Key.Model], grader, running, ct).ConfigureAwait(false);
                    result = result with { CostUsd = prices.GetValueOrDefault(sample.Key.Model)?.Cost(result.Transcript.Usage) };
                    budget.Spend((result.CostUsd ?? 0) + (result.JudgeUsage?.CostUsd ?? 0));
                    await saves.WaitForRoomAsync(ct).ConfigureAwait(false);
                    // The run's token, not the loop's: the loop may end its own before the store has taken the write up.
                    saves.Track(store.SaveSampleAsync(run.Id, result, stop.Token), () =>
                    {
                        Interlocked.Increment(ref ran);
                        var errorCount = result.Status == SampleStatus.Error ? Interlocked.Increment(ref errors) : Volatile.Read(ref errors);
                        var count = result.Status == SampleStatus.Done ? Interlocked.Increment(ref completed) : Volatile.Read(ref completed);
                        // Only a committed sample moves its cell on: the plan stays a function of what is stored.
                        var next = result.Status == SampleStatus.Done ? rounds.Record(result.Key, DetectorVerdict(result)) : [];
                        if (next.Count > 0) plannedWrites.Enqueue(store.RaisePlannedSamplesAsync(run.Id, rounds.Planned, CancellationToken.None));
                        progress?.Report(new RunProgress(count, rounds.Planned, errorCount));
                        Close(next);
                    });
                }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (saves.Failure is not null && !cancellationToken.IsCancellationRequested)
        {
            // A commit failed and stopped the run: its exception is thrown below.
        }
        finally
        {
            await saves.DrainAsync().ConfigureAwait(false);
            await Task.WhenAll(plannedWrites).ConfigureAwait(false);
        }

        saves.ThrowIfFailed(cancellationToken);
        return new RunSummary(rounds.Planned, alreadyDone, ran, errors, skipped > 0);
    }

    /// <summary>The family detector's verdict of a finished sample (as the store writes it, and <see cref="KeelStore.DetectorVerdictsAsync"/> reads it back).</summary>
    private static bool? DetectorVerdict(SampleResult result) => FamilyVerdicts.Of(result.Family, result.Verdicts).Detector;

    /// <summary>
    /// Store writes handed over but not yet committed: at most <c>limit</c> at once; each runs its completion once
    /// committed; the first failure cancels <c>stop</c> and is kept to be thrown.
    /// </summary>
    private sealed class PendingSaves(int limit, CancellationTokenSource stop)
    {
        private readonly SemaphoreSlim _room = new(limit, limit);
        private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _pending = 1; // the run itself, until DrainAsync
        private int _cancelled;
        private Exception? _failure;

        public Exception? Failure => Volatile.Read(ref _failure);

        public Task WaitForRoomAsync(CancellationToken cancellationToken) => _room.WaitAsync(cancellationToken);

        public void Track(Task save, Action committed)
        {
            Interlocked.Increment(ref _pending);
            save.ContinueWith(static (t, state) =>
            {
                var (self, committed) = ((PendingSaves, Action))state!;
                try
                {
                    if (t.IsCompletedSuccessfully) committed();
                    else if (t.IsCanceled) Interlocked.Exchange(ref self._cancelled, 1);
                    else self.Fail(t.Exception!.InnerException ?? t.Exception);
                }
                catch (Exception ex)
                {
                    self.Fail(ex);
                }
                finally
                {
                    self._room.Release();
                    self.Done();
                }
            }, (this, committed), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        public Task DrainAsync()
        {
            Done();
            return _drained.Task;
        }

        public void ThrowIfFailed(CancellationToken cancellationToken)
        {
            if (Failure is { } failure) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            if (Volatile.Read(ref _cancelled) == 1) throw new OperationCanceledException(cancellationToken);
        }

        private void Fail(Exception ex)
        {
            if (Interlocked.CompareExchange(ref _failure, ex, null) is null) stop.Cancel();
        }

        private void Done()
        {
            if (Interlocked.Decrement(ref _pending) == 0) _drained.TrySetResult();
        }
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

    private async Task<SampleResult> RunSampleAsync(RunRecord run, SampleKey key, Condition condition, IAgentModel model, SampleGrader grader,
        RunningSamples running, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var client = model.ClientFor(new SampleContext(run.Config.Seed, condition, key.Epoch, run.Id));
        AgentResult outcome;
        try
        {
            outcome = await agentLoop.RunAsync(client, condition.Spec, run.Config.Agent, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            running.Ended(key);
        }

        if (outcome.Error is not null)
        {
            return new SampleResult(key, condition.ScenarioId, condition.Family, condition.Split, SampleStatus.Error, outcome.Error,
                outcome.Transcript, [], started, DateTimeOffset.UtcNow);
        }

        var graded = await grader.GradeAsync(outcome.Transcript, condition, cancellationToken).ConfigureAwait(false);
        return new SampleResult(key, condition.ScenarioId, condition.Family, condition.Split, SampleStatus.Done, null,
            outcome.Transcript, graded.Verdicts, started, DateTimeOffset.UtcNow, JudgeUsage: graded.JudgeUsage);
    }
}
