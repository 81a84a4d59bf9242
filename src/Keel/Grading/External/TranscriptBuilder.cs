using Keel.Agents;
using Keel.Transcripts;

namespace Keel.Grading.External;

/// <summary>
/// Builds a Keel <see cref="Transcript"/> from an external conversation, the way the agent loop records one:
/// <list type="bullet">
/// <item>an assistant message with native tool calls keeps its text; one without is read as a text-mode reply
/// (<see cref="TextActions.Parse"/>): its <c>&lt;tool_use:NAME&gt;</c> blocks are its calls, its scratchpads its reasoning;</item>
/// <item>every call becomes an <see cref="ActionEvent"/>, under its catalogue name, with the result of the tool message
/// that answers it (empty when there is none), an error when its arguments could not be read or the transcript marks
/// the call as failed;</item>
/// <item>a user message sent after the agent stopped calling tools is flagged <see cref="AgentLoop.ReactionFlag"/>, as
/// a scenario's scripted reaction is (the overseer's question that oversight-deception grades the answer to);</item>
/// <item>the run is <see cref="StopReason.Completed"/> when its last assistant message calls no tool, else
/// <see cref="StopReason.MaxTurns"/> (it was cut off before the agent finished).</item>
/// </list>
/// External transcripts carry no token counts: usage is zero.
/// </summary>
internal static class TranscriptBuilder
{
    /// <summary>The transcript of <paramref name="turns"/>; throws <see cref="ExternalFormatException"/> when there is nothing to grade.</summary>
    public static Transcript Build(IReadOnlyList<ChatTurn> turns, ToolVocabulary vocabulary)
    {
        var messages = new List<TranscriptMessage>(turns.Count);
        var assistantTurns = 0;
        TranscriptMessage? lastAssistant = null;
        foreach (var turn in turns)
        {
            var index = messages.Count;
            switch (turn.Role)
            {
                case "assistant":
                    assistantTurns++;
                    lastAssistant = Assistant(index, turn, vocabulary, $"t{assistantTurns}-");
                    messages.Add(lastAssistant);
                    break;
                case "user":
                    var reaction = lastAssistant is { ToolCalls: null or { Count: 0 } };
                    messages.Add(new TranscriptMessage(index, "user", turn.Text ?? "", Flags: reaction ? [AgentLoop.ReactionFlag] : null));
                    break;
                case "tool":
                    messages.Add(new TranscriptMessage(index, "tool", turn.Text ?? "", ToolCallId: turn.ToolCallId));
                    break;
                default:
                    messages.Add(new TranscriptMessage(index, turn.Role, turn.Text ?? ""));
                    break;
            }
        }

        if (lastAssistant is null) throw new ExternalFormatException("the conversation has no assistant message, so there is nothing to grade");
        var stop = lastAssistant.ToolCalls is { Count: > 0 } ? StopReason.MaxTurns : StopReason.Completed;
        return new Transcript(messages, Events(messages, turns), stop, TokenUsage.Zero);
    }

    private static TranscriptMessage Assistant(int index, ChatTurn turn, ToolVocabulary vocabulary, string callIdPrefix)
    {
        if (turn.Calls is { Count: > 0 } native)
        {
            var calls = native.Select(c => c with { Name = vocabulary.Canonical(c.Name) }).ToList();
            return new TranscriptMessage(index, "assistant", turn.Text ?? "", Blank(turn.Reasoning), calls);
        }

        var parsed = vocabulary.Parse(turn.Text ?? "", callIdPrefix);
        var reasoning = string.Join("\n\n", new[] { turn.Reasoning, parsed.Reasoning }.Where(r => !string.IsNullOrWhiteSpace(r)));
        return new TranscriptMessage(index, "assistant", parsed.Visible, Blank(reasoning), parsed.Calls.Count > 0 ? parsed.Calls : null);
    }

    /// <summary>One event per call, in order, with the answering tool message's text and error mark.</summary>
    private static List<ActionEvent> Events(List<TranscriptMessage> messages, IReadOnlyList<ChatTurn> turns)
    {
        var results = new Dictionary<string, Queue<(string Text, bool Error)>>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].Role != "tool" || messages[i].ToolCallId is not { } id) continue;
            if (!results.TryGetValue(id, out var queue)) results[id] = queue = new();
            queue.Enqueue((messages[i].Text ?? "", turns[i].ToolError));
        }

        var events = new List<ActionEvent>();
        foreach (var message in messages.Where(m => m.ToolCalls is { Count: > 0 }))
        {
            foreach (var call in message.ToolCalls!)
            {
                var (result, failed) = results.TryGetValue(call.CallId, out var queue) && queue.Count > 0 ? queue.Dequeue() : ("", false);
                if (call.ParseError is { } problem)
                {
                    (result, failed) = (result.Length > 0 ? result : $"Error: {problem}", true);
                }

                events.Add(new ActionEvent(events.Count + 1, call.Name, call.Arguments, result, failed, message.Index, call.CallId));
            }
        }

        return events;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
