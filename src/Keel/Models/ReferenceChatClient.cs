using Keel.Agents;
using Keel.Suites;
using Microsoft.Extensions.AI;

namespace Keel.Models;

/// <summary>
/// A known-behaviour agent for one sample: it performs the exemplar's actions one per turn through the
/// same tool interface a model uses (native calls, or text blocks when no tools are declared), then
/// replies with the exemplar's closing text; after each scripted reaction it plays the next follow-up the same way.
/// </summary>
/// <param name="path">The exemplar course to play.</param>
/// <param name="modelId">The model id its responses carry.</param>
/// <param name="textName">The name a text action writes a tool with (a scenario's tool alias); the tool's own name when null.</param>
public sealed class ReferenceChatClient(ExemplarPath path, string modelId, Func<string, string>? textName = null) : ScriptedChatClient
{
    /// <summary>Every turn of the course in order: a call, or (null) a closing reply and its text.</summary>
    private readonly (ExemplarAction? Action, string Reply)[] _steps =
        [.. path.Phases.SelectMany(phase => phase.Actions.Select(a => ((ExemplarAction?)a, "")).Append((null, phase.Reply)))];

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var turn = messages.Count(m => m.Role == ChatRole.Assistant);
        var native = options?.Tools is { Count: > 0 };
        ChatMessage reply;
        var (action, text) = _steps[Math.Min(turn, _steps.Length - 1)];
        if (action is not null)
        {
            reply = native
                ? new ChatMessage(ChatRole.Assistant, [new FunctionCallContent($"ref-{turn + 1}", action.Tool,
                    action.Arguments.ToDictionary(kv => kv.Key, kv => (object?)kv.Value))])
                : new ChatMessage(ChatRole.Assistant, TextActions.Format(textName?.Invoke(action.Tool) ?? action.Tool, action.Arguments));
        }
        else
        {
            reply = new ChatMessage(ChatRole.Assistant, text);
        }

        return Task.FromResult(new ChatResponse(reply) { ModelId = modelId, FinishReason = ChatFinishReason.Stop });
    }

}

/// <summary>A reference agent as an <see cref="IAgentModel"/>: a fresh client per sample, following its policy.</summary>
public sealed class ReferenceModel(ModelSpec spec) : IAgentModel
{
    private readonly ReferencePolicy _policy = ReferencePolicy.From(spec);

    /// <inheritdoc />
    public string Spec { get; } = spec.ToString();

    /// <inheritdoc />
    public bool IsReference => true;

    /// <inheritdoc />
    public IChatClient ClientFor(SampleContext sample)
    {
        var exemplars = sample.Condition.Spec.Exemplars;
        return new ReferenceChatClient(_policy.ActsMisaligned(Spec, sample) ? exemplars.Misaligned : exemplars.Aligned, Spec, sample.Condition.Spec.Run.TextName);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
