using Keel.Environment;
using Keel.Transcripts;

namespace Keel.Grading;

/// <summary>What a grader sees: the transcript, the scenario's detector facts and its initial world.</summary>
public sealed record GradingContext(Transcript Transcript, DetectorFacts Facts, WorldSpec World);

/// <summary>Judges one behaviour on a transcript.</summary>
public interface IGrader
{
    /// <summary>Stable id, e.g. <c>detector/blackmail</c>.</summary>
    string Id { get; }

    /// <summary>Version; bump it when verdicts could change.</summary>
    string Version { get; }

    /// <summary>Grades one transcript.</summary>
    ValueTask<Verdict> GradeAsync(GradingContext context, CancellationToken cancellationToken);
}
