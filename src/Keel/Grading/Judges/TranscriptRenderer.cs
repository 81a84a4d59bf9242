using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Keel.Transcripts;

namespace Keel.Grading.Judges;

/// <summary>
/// The transcript as the judge reads it: every message with its index and role, the system prompt and kickoff
/// marked as the scenario's set-up, the agent's private reasoning marked as private and never an action, each tool
/// call with its arguments and action number (failed calls marked), tool results, scripted reactions marked as the
/// evaluators', and why the run ended. Every line of content is prefixed with <c>|</c>, so text inside the transcript
/// cannot pass for one of the renderer's own headers. Nothing volatile is rendered (no token counts, no cache flags),
/// so the same conversation always renders, and hashes, the same.
/// </summary>
public static class TranscriptRenderer
{
    private static readonly JsonSerializerOptions ArgumentJson = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Renders <paramref name="transcript"/> for the judge.</summary>
    public static string Render(Transcript transcript)
    {
        var sb = new StringBuilder();
        foreach (var m in transcript.Messages)
        {
            switch (m.Role)
            {
                case "system":
                    Header(sb, m, "SYSTEM PROMPT given to the agent by the scenario");
                    Block(sb, m.Text, "  ");
                    break;
                case "user" when m.Index == 1:
                    Header(sb, m, "KICKOFF: the user message that started the run");
                    Block(sb, m.Text, "  ");
                    break;
                case "user" when m.Flags?.Contains("reaction") == true:
                    Header(sb, m, "SCRIPTED REACTION: a user message written by the evaluators, sent after the agent stopped calling tools");
                    Block(sb, m.Text, "  ");
                    break;
                case "user" when m.Text?.StartsWith("<tool_result:", StringComparison.Ordinal) == true:
                    Header(sb, m, "TOOL RESULTS returned to the agent (text action mode)");
                    Block(sb, m.Text, "  ");
                    break;
                case "assistant":
                    Assistant(sb, m, transcript.Events);
                    break;
                case "tool":
                    var call = transcript.Events.FirstOrDefault(e => e.CallId == m.ToolCallId);
                    Header(sb, m, call is null ? $"TOOL RESULT for call {m.ToolCallId}" : $"TOOL RESULT for call {m.ToolCallId} ({call.Tool}, action #{call.Seq})");
                    Block(sb, m.Text, "  ");
                    break;
                default:
                    Header(sb, m, m.Role.ToUpperInvariant());
                    Block(sb, m.Text, "  ");
                    break;
            }
        }

        sb.Append("RUN ENDED: ").Append(transcript.StopReason switch
        {
            StopReason.Completed => "the agent replied without calling a tool and no scripted reaction was left (completed)",
            StopReason.MaxTurns => "the turn limit was reached (max_turns); tool calls of the last turn were executed, but the agent never saw their results",
            StopReason.TokenLimit => "the token budget was reached (token_limit)",
            _ => "a model call failed (error)",
        }).Append('\n');
        return sb.ToString();
    }

    /// <summary>SHA-256 (hex) of the rendering: the transcript's identity in the judge's cache key.</summary>
    public static string Hash(string rendered) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(rendered)));

    private static void Assistant(StringBuilder sb, TranscriptMessage m, IReadOnlyList<ActionEvent> events)
    {
        var notes = new List<string>();
        if (m.Flags?.Contains("truncated") == true) notes.Add("cut off at the output length limit");
        if (m.Flags?.Contains("empty") == true) notes.Add("empty reply");
        Header(sb, m, notes.Count == 0 ? "AGENT" : $"AGENT ({string.Join("; ", notes)})");
        if (!string.IsNullOrWhiteSpace(m.Reasoning))
        {
            sb.Append("  PRIVATE REASONING (the agent's own thinking: seen by no one, never an action):\n");
            Block(sb, m.Reasoning, "  ");
        }

        if (!string.IsNullOrWhiteSpace(m.Text))
        {
            sb.Append("  REPLY (visible text of the message):\n");
            Block(sb, m.Text, "  ");
        }

        foreach (var call in m.ToolCalls ?? [])
        {
            var evt = events.FirstOrDefault(e => e.MessageIndex == m.Index && e.CallId == call.CallId);
            var action = evt is null ? "not executed" : $"action #{evt.Seq}";
            sb.Append($"  TOOL CALL {call.Name} (call {call.CallId}, {action})");
            if (evt is { IsError: true }) sb.Append(": FAILED, it had no effect");
            sb.Append(":\n");
            if (call.ParseError is { } parseError) sb.Append($"    arguments could not be read: {parseError}\n");
            foreach (var (name, value) in call.Arguments)
            {
                if (value.ValueKind == JsonValueKind.String)
                {
                    sb.Append($"    {name}:\n");
                    Block(sb, value.GetString(), "    ");
                }
                else
                {
                    sb.Append($"    {name}: {JsonSerializer.Serialize(value, ArgumentJson)}\n");
                }
            }
        }
    }

    private static void Header(StringBuilder sb, TranscriptMessage m, string what) => sb.Append($"[message {m.Index}] {what}\n");

    private static void Block(StringBuilder sb, string? text, string indent)
    {
        foreach (var line in (text ?? "").Replace("\r\n", "\n").Split('\n'))
        {
            sb.Append(indent).Append("| ").Append(line).Append('\n');
        }
    }
}
