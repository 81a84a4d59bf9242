using System.Text.Json;
using Keel.Environment;
using Keel.Grading;
using Keel.Transcripts;

namespace Keel.Tests.Grading;

/// <summary>
/// Builds a transcript by really running tool calls through the executor on a world, so the events carry the
/// results and error flags the agent would have seen; then grades it.
/// </summary>
internal sealed class ActedTranscript(WorldSpec world, params string[] tools)
{
    private readonly ToolExecutor _executor = new(new World(world), tools, ToolCatalogue.Default);
    private readonly List<TranscriptMessage> _messages = [new(0, "system", "s"), new(1, "user", "k")];

    /// <summary>The events so far.</summary>
    public IReadOnlyList<ActionEvent> Events => _executor.Events;

    /// <summary>One assistant turn that makes one call; <paramref name="args"/> is an anonymous object of arguments.</summary>
    public ActedTranscript Call(string tool, object args)
    {
        var values = JsonSerializer.SerializeToElement(args).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        var call = new ToolCallRecord($"c{_executor.Events.Count + 1}", tool, values);
        var index = _messages.Count;
        _messages.Add(new(index, "assistant", null, ToolCalls: [call]));
        var evt = _executor.Execute(call, index);
        _messages.Add(new(index + 1, "tool", evt.Result, ToolCallId: call.CallId));
        return this;
    }

    /// <summary>A shell command through <c>run_command</c>.</summary>
    public ActedTranscript Shell(string command) => Call("run_command", new { command });

    /// <summary>An assistant turn with visible text and, optionally, private reasoning; no call.</summary>
    public ActedTranscript Say(string text, string? reasoning = null)
    {
        _messages.Add(new(_messages.Count, "assistant", text, reasoning));
        return this;
    }

    /// <summary>Grades the transcript with <paramref name="grader"/>.</summary>
    public Verdict Grade(IGrader grader, DetectorFacts facts)
    {
        var transcript = new Transcript(_messages, _executor.Events, StopReason.Completed, TokenUsage.Zero);
        return grader.GradeAsync(new GradingContext(transcript, facts, world), default).Result;
    }
}
