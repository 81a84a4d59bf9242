using System.Runtime.CompilerServices;
using System.Text;
using Keel.Environment;
using Keel.Models;
using Keel.Suites;
using Keel.Transcripts;
using Microsoft.Extensions.AI;

namespace Keel.Agents;

/// <summary>The outcome of one agent run: its transcript and, when the model call failed, why.</summary>
public sealed record AgentResult(Transcript Transcript, string? Error);

/// <summary>
/// Runs one agent in one simulated world over an <see cref="IChatClient"/>: system prompt and kickoff,
/// then model turns and tool results until the model stops calling tools, or a turn or token limit. A scenario's
/// scripted reactions are sent, in order, each time the model stops calling tools; each starts a new phase
/// with its own turn limit.
/// Keel executes every call itself (no automatic function invocation), so every action is recorded.
/// </summary>
public sealed class AgentLoop(ToolCatalogue catalogue)
{
    /// <summary>What every sample of a scenario shares: its tools, their declarations and the text-mode prompt, built once.</summary>
    private readonly ConditionalWeakTable<ScenarioSpec, PreparedSpec> _prepared = new();

    /// <summary>Marks a user message that is a scenario's scripted reaction.</summary>
    public const string ReactionFlag = "reaction";

    private static readonly IReadOnlyList<string> ReactionFlags = [ReactionFlag];

    /// <summary>A loop over the built-in tools.</summary>
    public static AgentLoop Default { get; } = new(ToolCatalogue.Default);

    /// <summary>Runs the scenario against the model.</summary>
    public async Task<AgentResult> RunAsync(IChatClient client, ScenarioSpec spec, AgentOptions options, CancellationToken cancellationToken)
    {
        options = spec.Run.Apply(options);
        var prepared = Prepare(spec);
        var tools = prepared.Tools;
        // The world and executor are built at the first tool call: a sample that makes none never needs them.
        ToolExecutor? executor = null;
        var systemPrompt = options.Mode == ActionMode.Text ? prepared.TextSystemPrompt : spec.SystemPrompt;
        var chat = new List<ChatMessage> { new(ChatRole.System, systemPrompt), new(ChatRole.User, spec.Kickoff) };
        var transcript = new List<TranscriptMessage> { new(0, "system", systemPrompt), new(1, "user", spec.Kickoff) };
        var chatOptions = new ChatOptions();
        if (options.Mode == ActionMode.Native && tools.Count > 0)
        {
            chatOptions.Tools = [.. prepared.Declarations];
            chatOptions.ToolMode = ChatToolMode.Auto;
        }

        var usage = TokenUsage.Zero;
        Transcript Finish(StopReason reason) => new(transcript, executor is null ? [] : executor.Events.ToList(), reason, usage);

        // Each phase (the kickoff, then each scripted reaction) gets up to MaxTurns model turns.
        var reactions = 0;
        var phaseTurns = 0;
        for (var turn = 1; phaseTurns < options.MaxTurns; turn++, phaseTurns++)
        {
            ChatResponse response;
            try
            {
                response = await client.GetResponseAsync(chat, chatOptions, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                return new AgentResult(Finish(StopReason.Error), ExceptionChain.Describe(ex));
            }

            var callUsage = TokenUsage.From(response.Usage);
            var cacheHit = response.AdditionalProperties?.ContainsKey(ResponseCacheChatClient.HitProperty) == true;
            if (!cacheHit) usage += callUsage;
            var assistantIndex = transcript.Count;
            var calls = options.Mode == ActionMode.Native
                ? RecordNativeTurn(response, chat, transcript)
                : RecordTextTurn(response, chat, transcript, tools, $"t{turn}-", spec.Run.ToolAliases);
            var recorded = transcript[assistantIndex];
            transcript[assistantIndex] = recorded with
            {
                Usage = callUsage,
                Flags = cacheHit ? [.. recorded.Flags ?? [], "cache_hit"] : recorded.Flags,
            };

            if (calls.Count == 0)
            {
                if (reactions == spec.Reactions.Count) return new AgentResult(Finish(StopReason.Completed), null);
                var reaction = spec.Reactions[reactions++];
                chat.Add(new ChatMessage(ChatRole.User, reaction));
                transcript.Add(new TranscriptMessage(transcript.Count, "user", reaction, Flags: ReactionFlags));
                phaseTurns = -1;
                continue;
            }

            executor ??= new ToolExecutor(new World(spec.World), spec.Tools, catalogue);
            var events = calls.Select(call => executor.Execute(call, assistantIndex)).ToList();
            if (options.Mode == ActionMode.Native)
            {
                foreach (var evt in events)
                {
                    chat.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(evt.CallId, evt.Result)]));
                    transcript.Add(new TranscriptMessage(transcript.Count, "tool", evt.Result, ToolCallId: evt.CallId));
                }
            }
            else
            {
                var results = TextActions.Results(events, spec.Run.TextName);
                chat.Add(new ChatMessage(ChatRole.User, results));
                transcript.Add(new TranscriptMessage(transcript.Count, "user", results));
            }

            if (options.MaxTokens is { } limit && usage.Total >= limit) return new AgentResult(Finish(StopReason.TokenLimit), null);
        }

        return new AgentResult(Finish(StopReason.MaxTurns), null);
    }

    private PreparedSpec Prepare(ScenarioSpec spec)
    {
        if (_prepared.TryGetValue(spec, out var prepared)) return prepared;
        // Throws for a tool the catalogue does not have, as building the executor always did.
        var tools = new ToolExecutor(new World(spec.World), spec.Tools, catalogue).Definitions.ToList();
        prepared = new PreparedSpec(tools, tools.Select(t => t.Declaration()).ToArray(), new Lazy<string>(() => spec.Run.ToolInstructions ? spec.SystemPrompt + TextActions.Instructions(tools, spec.Run.TextName) : spec.SystemPrompt));
        return _prepared.GetValue(spec, _ => prepared);
    }

    /// <summary>A scenario's tools (in the executor's order), their declarations (immutable, shared by every call), and its text-mode system prompt.</summary>
    private sealed record PreparedSpec(IReadOnlyList<ToolDefinition> Tools, AITool[] Declarations, Lazy<string> TextPrompt)
    {
        public string TextSystemPrompt => TextPrompt.Value;
    }

    private static List<ToolCallRecord> RecordNativeTurn(ChatResponse response, List<ChatMessage> chat, List<TranscriptMessage> transcript)
    {
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var calls = new List<ToolCallRecord>();
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextReasoningContent r:
                        reasoning.Append(r.Text);
                        break;
                    case TextContent t:
                        text.Append(t.Text);
                        break;
                    case FunctionCallContent call:
                        calls.Add(new ToolCallRecord(call.CallId, call.Name, ToolExecutor.ToJson(call.Arguments), call.Exception?.Message));
                        break;
                }
            }
        }

        chat.AddRange(response.Messages);
        transcript.Add(new TranscriptMessage(transcript.Count, "assistant", text.ToString(), Nullable(reasoning), calls.Count > 0 ? calls : null,
            Flags: Flags(response, text.Length == 0 && calls.Count == 0)));
        return calls;
    }

    private static List<ToolCallRecord> RecordTextTurn(ChatResponse response, List<ChatMessage> chat, List<TranscriptMessage> transcript,
        IReadOnlyList<ToolDefinition> tools, string callIdPrefix, IReadOnlyList<ToolAlias> aliases)
    {
        var raw = string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextContent>().Select(t => t.Text));
        var thinking = string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text));
        var parsed = TextActions.Parse(raw, tools, callIdPrefix, aliases);
        var reasoning = string.Join("\n\n", new[] { thinking, parsed.Reasoning }.Where(s => !string.IsNullOrEmpty(s)));
        chat.Add(new ChatMessage(ChatRole.Assistant, raw));
        transcript.Add(new TranscriptMessage(transcript.Count, "assistant", parsed.Visible, reasoning.Length > 0 ? reasoning : null,
            parsed.Calls.Count > 0 ? parsed.Calls : null, Flags: Flags(response, raw.Trim().Length == 0)));
        return [.. parsed.Calls];
    }

    private static string? Nullable(StringBuilder sb) => sb.Length > 0 ? sb.ToString() : null;

    private static IReadOnlyList<string>? Flags(ChatResponse response, bool empty)
    {
        if (!empty && response.FinishReason != ChatFinishReason.Length) return null;
        var flags = new List<string>(2);
        if (response.FinishReason == ChatFinishReason.Length) flags.Add("truncated");
        if (empty) flags.Add("empty");
        return flags.Count > 0 ? flags : null;
    }
}
