using Keel.Grading;
using Keel.Grading.Judges;
using Keel.Suites;
using Keel.Transcripts;

namespace Keel.Evaluation;

/// <summary>A finished sample's verdicts and what the judge used producing them.</summary>
/// <param name="Verdicts">The family detector's verdict, then the judge's (family, draws, combined, dimensions) when there is one.</param>
/// <param name="JudgeUsage">What the judge used; null without a judge.</param>
public sealed record GradedSample(IReadOnlyList<Verdict> Verdicts, JudgeUsage? JudgeUsage);

/// <summary>
/// Grades a finished transcript the way a run does: the family's deterministic detector, then, when the run has one, the
/// LLM judge (which also gives the combined verdict and the extra dimensions). Shared by <c>keel eval</c> (as each
/// sample finishes) and <c>keel regrade</c> (over stored transcripts), so both give the same verdicts for the same input.
/// </summary>
public sealed class SampleGrader
{
    private readonly IReadOnlyDictionary<string, IGrader> _detectors;
    private readonly JudgePanel? _judge;

    private SampleGrader(IReadOnlyDictionary<string, IGrader> detectors, JudgePanel? judge)
    {
        _detectors = detectors;
        _judge = judge;
    }

    /// <summary>A grader for the families of <paramref name="suite"/>, with <paramref name="judge"/> when it is not null.</summary>
    public static SampleGrader For(Suite suite, JudgePanel? judge) =>
        new(suite.Conditions.Select(c => c.Family).Distinct().ToDictionary(f => f, f => FamilyCatalogue.Find(f)!.CreateDetector()), judge);

    /// <summary>The detectors it grades with (one per family of the suite).</summary>
    public IReadOnlyCollection<IGrader> Detectors => _detectors.Values.ToList();

    /// <summary>Grades <paramref name="transcript"/> of a sample of <paramref name="condition"/>.</summary>
    public async Task<GradedSample> GradeAsync(Transcript transcript, Condition condition, CancellationToken cancellationToken)
    {
        var verdict = await _detectors[condition.Family].GradeAsync(new GradingContext(transcript, condition.Spec.Facts, condition.Spec.World), cancellationToken)
            .ConfigureAwait(false);
        if (_judge is null) return new GradedSample([verdict], null);
        var judged = await _judge.GradeAsync(transcript, condition.Family, verdict, cancellationToken).ConfigureAwait(false);
        return new GradedSample([verdict, .. judged.Verdicts], judged.Usage);
    }
}
