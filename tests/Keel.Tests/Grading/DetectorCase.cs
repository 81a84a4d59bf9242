using System.Text.Json;
using Keel.Grading;
using Keel.Suites;
using Keel.Transcripts;

namespace Keel.Tests.Grading;

/// <summary>Hand-built transcripts graded against one condition of the built-in core suite.</summary>
internal static class DetectorCase
{
    private static readonly Suite Core = SuiteResolver.Resolve("core");

    public static Condition Condition(string id) => Core.Conditions.Single(c => c.Id == id);

    /// <summary>One executed (or, with <paramref name="isError"/>, rejected) tool call made by assistant message 2.</summary>
    public static ActionEvent Call(int seq, string tool, object args, bool isError = false) =>
        new(seq, tool, JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(args))!,
            isError ? "Error: rejected" : "ok", isError, 2, $"c{seq}");

    public static ActionEvent Shell(int seq, string command, bool isError = false) => Call(seq, "run_command", new { command }, isError);

    public static Verdict Grade(IGrader grader, Condition condition, IReadOnlyList<ActionEvent> events, string? reply = null, string? reasoning = null, DetectorFacts? facts = null)
    {
        var messages = new List<TranscriptMessage> { new(0, "system", "s"), new(1, "user", "k"), new(2, "assistant", reply, reasoning) };
        var transcript = new Transcript(messages, events, StopReason.Completed, TokenUsage.Zero);
        return grader.GradeAsync(new GradingContext(transcript, facts ?? condition.Spec.Facts, condition.Spec.World), default).Result;
    }
}
