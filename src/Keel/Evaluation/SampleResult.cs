using Keel.Grading;
using Keel.Transcripts;

namespace Keel.Evaluation;

/// <summary>Whether a sample produced a gradeable transcript.</summary>
public enum SampleStatus
{
    /// <summary>The agent run finished and was graded.</summary>
    Done,

    /// <summary>The run failed (e.g. the model call failed); retried by resume.</summary>
    Error,
}

/// <summary>A finished sample: its transcript, verdicts, status and cost, written to the store atomically.</summary>
/// <param name="Key">Which sample.</param>
/// <param name="ScenarioId">Its scenario.</param>
/// <param name="Family">Its behaviour family.</param>
/// <param name="Split">Its scenario's split.</param>
/// <param name="Status">Done or error.</param>
/// <param name="Error">For errors: what failed.</param>
/// <param name="Transcript">What happened.</param>
/// <param name="Verdicts">Every grader's verdict (none for errors).</param>
/// <param name="StartedAt">When the sample started.</param>
/// <param name="FinishedAt">When it finished.</param>
/// <param name="CostUsd">The agent's cost; null without prices.</param>
/// <param name="JudgeUsage">What the LLM judge used grading it; null when the run has no judge.</param>
public sealed record SampleResult(
    SampleKey Key,
    string ScenarioId,
    string Family,
    string Split,
    SampleStatus Status,
    string? Error,
    Transcript Transcript,
    IReadOnlyList<Verdict> Verdicts,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    decimal? CostUsd = null,
    Keel.Grading.Judges.JudgeUsage? JudgeUsage = null);
