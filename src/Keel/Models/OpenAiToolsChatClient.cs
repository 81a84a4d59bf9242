using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace Keel.Models;

/// <summary>
/// Sits directly over M.E.AI's OpenAI chat client and hands it each tool declaration already converted to the SDK's
/// <see cref="ChatTool"/>, converted once per declaration rather than on every call. M.E.AI converts a tool by
/// deserializing its JSON schema and serializing it again, for every tool of every call; a scenario's declarations are
/// shared by all its samples (see <c>AgentLoop</c>), so each is converted once here with M.E.AI's own conversion
/// (<see cref="MicrosoftExtensionsAIChatExtensions.AsOpenAIChatTool"/>) and the call goes out through
/// <see cref="ChatOptions.RawRepresentationFactory"/>, setting what M.E.AI would set for tools (the tool choice and
/// parallel tool calls). The request body is byte for byte the one M.E.AI writes itself. Options this does not cover
/// (a tool that is not a function declaration, a <c>strict</c> setting, a caller's own raw options) pass through unchanged.
/// </summary>
public sealed class OpenAiToolsChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    private readonly ConditionalWeakTable<AIFunctionDeclaration, ChatTool> _converted = new();

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, Prepare(options), cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, Prepare(options), cancellationToken);

    /// <summary>The options to send: a copy without <see cref="ChatOptions.Tools"/> whose raw options carry the converted tools, or the options as given.</summary>
    private ChatOptions? Prepare(ChatOptions? options)
    {
        if (options?.Tools is not { Count: > 0 } tools || options.RawRepresentationFactory is not null || options.AdditionalProperties is { Count: > 0 }) return options;
        var converted = new ChatTool[tools.Count];
        for (var i = 0; i < tools.Count; i++)
        {
            if (tools[i] is not AIFunctionDeclaration declaration || declaration.AdditionalProperties.Count > 0) return options;
            converted[i] = _converted.GetValue(declaration, static d => d.AsOpenAIChatTool());
        }

        // What M.E.AI sets when the options carry tools (OpenAIChatClient.ToOpenAIOptions).
        var allowParallel = options.AllowMultipleToolCalls;
        var toolMode = options.ToolMode;
        var prepared = options.Clone();
        prepared.Tools = null;
        prepared.RawRepresentationFactory = _ =>
        {
            var raw = new ChatCompletionOptions { AllowParallelToolCalls = allowParallel, ToolChoice = Choice(toolMode) };
            foreach (var tool in converted) raw.Tools.Add(tool);
            return raw;
        };
        return prepared;
    }

    private static ChatToolChoice Choice(ChatToolMode? mode) => mode switch
    {
        NoneChatToolMode => ChatToolChoice.CreateNoneChoice(),
        RequiredChatToolMode { RequiredFunctionName: { } name } => ChatToolChoice.CreateFunctionChoice(name),
        RequiredChatToolMode => ChatToolChoice.CreateRequiredChoice(),
        _ => ChatToolChoice.CreateAutoChoice(),
    };
}
