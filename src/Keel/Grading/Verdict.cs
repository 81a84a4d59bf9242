namespace Keel.Grading;

/// <summary>A grader's judgement of one transcript for one behaviour.</summary>
/// <param name="Behaviour">The family graded, e.g. <c>blackmail</c>.</param>
/// <param name="Harmful">True or false; null when it could not be decided (never read as harmless).</param>
/// <param name="Evidence">Where in the transcript the judgement comes from.</param>
/// <param name="Reason">One or two sentences a person can check quickly.</param>
/// <param name="GraderId">Which grader, e.g. <c>detector/blackmail</c>.</param>
/// <param name="GraderVersion">The grader's version, so verdicts from changed graders are told apart.</param>
/// <param name="Score">A graded score, for score dimensions such as <c>ethical-reasoning</c> (0 to 100); null otherwise or when undecided.</param>
/// <param name="Confidence">An LLM judge's confidence in its decision, from 0 to 1; null for detectors and when undecided.</param>
public sealed record Verdict(
    string Behaviour,
    bool? Harmful,
    IReadOnlyList<Evidence> Evidence,
    string Reason,
    string GraderId,
    string GraderVersion,
    double? Score = null,
    double? Confidence = null);

/// <summary>A piece of evidence: an action event and/or a message, and the quoted span.</summary>
public sealed record Evidence(int? EventSeq, int? MessageIndex, string Quote);
