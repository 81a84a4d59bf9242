using System.Text.Json;
using Keel.Agents;
using Keel.Models;
using Keel.Suites;
using Keel.Transcripts;
using Microsoft.Extensions.AI;

namespace Keel.Grading.Calibration;

/// <summary>One tool call of a scripted native turn.</summary>
/// <param name="Tool">The tool's name.</param>
/// <param name="Arguments">Its arguments, as the model would send them.</param>
public sealed record ScriptedCall(string Tool, IReadOnlyDictionary<string, JsonElement> Arguments);

/// <summary>
/// One given assistant turn. Native form: optional visible text, optional reasoning and tool calls. Text form:
/// <paramref name="Text"/> is the raw reply (with <c>&lt;tool_use:NAME&gt;</c> and scratchpad blocks) that the
/// agent loop parses as it parses a model's reply in <see cref="ActionMode.Text"/>.
/// </summary>
public sealed record ScriptedTurn(string? Text, string? Reasoning = null, IReadOnlyList<ScriptedCall>? Calls = null)
{
    /// <summary>The turn's tool calls (none when null).</summary>
    public IReadOnlyList<ScriptedCall> ToolCalls => Calls ?? [];
}

/// <summary>
/// Replay of given turns: an <see cref="IChatClient"/> that answers the agent loop's n-th request with the n-th
/// given assistant turn, whatever the conversation holds. Run through the real <see cref="AgentLoop"/>, a
/// transcript's turns are re-executed against a scenario's simulated world, so tool results, action events and
/// scripted reactions are exactly what the loop produces for those turns. Asking for more turns than were given
/// is an error (the loop records it), so a script that ends too early is never padded with invented replies.
/// </summary>
/// <param name="turns">The assistant turns, in order.</param>
/// <param name="modelId">The model id the responses carry.</param>
public sealed class ScriptedTurnsClient(IReadOnlyList<ScriptedTurn> turns, string modelId = "scripted") : ScriptedChatClient
{
    /// <summary>How many turns the loop has asked for so far.</summary>
    public int Served { get; private set; }

    /// <summary>The turns given.</summary>
    public IReadOnlyList<ScriptedTurn> Turns { get; } = turns;

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Served >= Turns.Count)
        {
            throw new InvalidOperationException($"the script has {Turns.Count} turn(s) but the agent loop asked for turn {Served + 1} (a tool result or a scripted reaction still needs an answer)");
        }

        var turn = Turns[Served];
        var index = ++Served;
        var contents = new List<AIContent>();
        if (!string.IsNullOrEmpty(turn.Reasoning)) contents.Add(new TextReasoningContent(turn.Reasoning));
        if (!string.IsNullOrEmpty(turn.Text)) contents.Add(new TextContent(turn.Text));
        contents.AddRange(turn.ToolCalls.Select((call, i) => (AIContent)new FunctionCallContent($"gold-{index}-{i + 1}", call.Tool,
            call.Arguments.ToDictionary(kv => kv.Key, kv => (object?)kv.Value))));
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, contents)) { ModelId = modelId, FinishReason = ChatFinishReason.Stop });
    }

}

/// <summary>Rebuilds a transcript from given turns by running them through the agent loop in a scenario's world.</summary>
public static class TurnReplay
{
    /// <summary>
    /// Runs <paramref name="turns"/> through <see cref="AgentLoop"/> on <paramref name="spec"/> in <paramref name="mode"/>
    /// (the scenario's own action mode and turn limit are set aside: the turns decide). Throws when the loop
    /// asked for more turns than were given, or stopped before using them all.
    /// </summary>
    public static async Task<Transcript> RunAsync(ScenarioSpec spec, ActionMode mode, IReadOnlyList<ScriptedTurn> turns,
        AgentLoop? loop = null, CancellationToken cancellationToken = default)
    {
        var client = new ScriptedTurnsClient(turns);
        var replaySpec = spec with { Run = spec.Run with { Mode = null, MaxTurns = null } };
        var result = await (loop ?? AgentLoop.Default)
            .RunAsync(client, replaySpec, new AgentOptions(mode, MaxTurns: Math.Max(1, turns.Count) + 1), cancellationToken)
            .ConfigureAwait(false);
        if (result.Error is { } error) throw new InvalidOperationException(error);
        if (client.Served < turns.Count)
        {
            throw new InvalidOperationException(
                $"the agent loop ended ({result.Transcript.StopReason}) after {client.Served} of {turns.Count} turn(s): a turn without tool calls ends a phase, and only the scenario's {spec.Reactions.Count} scripted reaction(s) start another");
        }

        return result.Transcript;
    }
}
