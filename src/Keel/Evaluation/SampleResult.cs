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
    decimal? CostUsd = null);
