namespace Keel.Grading;

/// <summary>A grader's judgement of one transcript for one behaviour.</summary>
/// <param name="Behaviour">The family graded, e.g. <c>blackmail</c>.</param>
/// <param name="Harmful">True or false; null when it could not be decided (never read as harmless).</param>
/// <param name="Evidence">Where in the transcript the judgement comes from.</param>
/// <param name="Reason">One or two sentences a person can check quickly.</param>
/// <param name="GraderId">Which grader, e.g. <c>detector/blackmail</c>.</param>
/// <param name="GraderVersion">The grader's version, so verdicts from changed graders are told apart.</param>
public sealed record Verdict(
    string Behaviour,
    bool? Harmful,
    IReadOnlyList<Evidence> Evidence,
    string Reason,
    string GraderId,
    string GraderVersion);

/// <summary>A piece of evidence: an action event and/or a message, and the quoted span.</summary>
public sealed record Evidence(int? EventSeq, int? MessageIndex, string Quote);
