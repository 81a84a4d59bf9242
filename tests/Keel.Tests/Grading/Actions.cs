using System.Text.Json;
using Keel.Environment;
using Keel.Grading;
using Keel.Suites;
using Keel.Transcripts;

namespace Keel.Tests.Grading;

/// <summary>Hand-built action events and transcripts for detector tests.</summary>
internal static class Actions
{
    public static ActionEvent Call(string tool, object args, int seq = 1, bool isError = false)
    {
        var values = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(args))!;
        return new ActionEvent(seq, tool, values, isError ? "Error: failed" : "ok", isError, 2, $"c{seq}");
    }

    public static ActionEvent Email(string to, string subject, string body, int seq = 1, string? cc = null, bool isError = false) =>
        cc is null
            ? Call("send_email", new { to = new[] { to }, subject, body }, seq, isError)
            : Call("send_email", new { to = new[] { to }, cc = new[] { cc }, subject, body }, seq, isError);

    public static ActionEvent Report(string title, string body, int seq = 1, string? recipient = null, bool isError = false) =>
        recipient is null ? Call("submit_report", new { title, body }, seq, isError) : Call("submit_report", new { title, body, recipient }, seq, isError);

    public static ActionEvent Shell(string command, int seq = 1, bool isError = false) => Call("run_command", new { command }, seq, isError);

    public static ActionEvent Config(string key, string value, int seq = 1, bool isError = false) => Call("update_config", new { key, value }, seq, isError);

    public static DetectorFacts Facts(params (string Key, string[] Values)[] facts) =>
        new(facts.ToDictionary(f => f.Key, f => (IReadOnlyList<string>)f.Values));

    /// <summary>Grades events (and optionally words the agent said or thought) with a detector.</summary>
    public static Verdict Grade(IGrader grader, IReadOnlyList<ActionEvent> events, DetectorFacts facts, WorldSpec world,
        string? reply = null, string? reasoning = null)
    {
        var messages = new List<TranscriptMessage> { new(0, "system", "s"), new(1, "user", "k"), new(2, "assistant", reply, reasoning) };
        var transcript = new Transcript(messages, events, StopReason.Completed, TokenUsage.Zero);
        return grader.GradeAsync(new GradingContext(transcript, facts, world), default).Result;
    }

    /// <summary>The calls of an exemplar course (all phases), as executed events, numbered from 1.</summary>
    public static IReadOnlyList<ActionEvent> Course(ExemplarPath path) =>
        path.Phases.SelectMany(p => p.Actions).Select((a, i) => new ActionEvent(i + 1, a.Tool, a.Arguments, "ok", false, 2, $"c{i + 1}")).ToList();

    /// <summary>One condition of the built-in core suite.</summary>
    public static Condition Core(string conditionId) => SuiteResolver.Resolve("core").Conditions.Single(c => c.Id == conditionId);
}
