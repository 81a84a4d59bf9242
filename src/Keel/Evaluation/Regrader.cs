using Keel.Grading.Judges;
using Keel.Store;

namespace Keel.Evaluation;

/// <summary>What one regrade pass did.</summary>
/// <param name="GradingId">The pass's id in the store (<c>gradings.id</c>, <c>verdicts.grading_id</c>).</param>
/// <param name="Regraded">Samples whose verdicts it replaced.</param>
public sealed record RegradeSummary(long GradingId, int Regraded);

/// <summary>
/// Grades a stored run again from its stored transcripts, without calling the models that produced them: the current
/// detectors and, when the plan has one, the LLM judge (through the response cache, so grading the same transcripts
/// again with the same judge costs nothing). Each sample's verdicts are replaced in one transaction; a pass that is
/// interrupted leaves every sample with a whole set of verdicts, and running the regrade again finishes the job.
/// </summary>
/// <param name="store">The store the run is in.</param>
public sealed class Regrader(KeelStore store)
{
    /// <summary>Runs a pass over every sample of <paramref name="plan"/>, <paramref name="concurrency"/> samples at once.</summary>
    public async Task<RegradeSummary> RunAsync(RegradePlan plan, JudgePanel? judge, int concurrency, IProgress<RunProgress>? progress,
        CancellationToken cancellationToken)
    {
        var grader = SampleGrader.For(plan.Suite, judge);
        var conditions = plan.Suite.Conditions.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var runId = plan.Run.Id;
        var gradingId = await store.BeginGradingAsync(runId, plan.Config, plan.Run.Config.ResolvedJudge, plan.Suite.ContentHash, cancellationToken)
            .ConfigureAwait(false);

        var regraded = 0;
        progress?.Report(new RunProgress(0, plan.Samples.Count, 0));
        await Parallel.ForEachAsync(plan.Samples, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = cancellationToken },
            async (key, ct) =>
            {
                var transcript = await store.TranscriptAsync(runId, key, ct).ConfigureAwait(false)
                    ?? throw new InvalidDataException($"run {runId}: sample {key} is stored as done but has no transcript");
                var graded = await grader.GradeAsync(transcript, conditions[key.ConditionId], ct).ConfigureAwait(false);
                await store.SaveRegradedSampleAsync(runId, gradingId, key, graded.Verdicts, graded.JudgeUsage, ct).ConfigureAwait(false);
                var count = Interlocked.Increment(ref regraded);
                progress?.Report(new RunProgress(count, plan.Samples.Count, 0));
            }).ConfigureAwait(false);

        await store.FinishGradingAsync(gradingId, cancellationToken).ConfigureAwait(false);
        return new RegradeSummary(gradingId, regraded);
    }
}
