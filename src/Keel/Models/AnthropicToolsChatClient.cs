using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace Keel.Models;

/// <summary>
/// Sits directly over the Anthropic SDK's <see cref="IChatClient"/> and hands it each tool declaration already converted to the
/// SDK's <see cref="Tool"/>, converted once per declaration rather than on every call: the adapter builds a new tool object and
/// its input-schema dictionary for every tool of every call, which was half of the allocation of an Anthropic model call
/// (bench <c>micro</c>). The conversion is the adapter's own (its schema transform, the same fields); the adapter accepts such
/// tools as <see cref="AnthropicClientExtensions.AsAITool"/> wrappers and sends them unchanged, so the request body is byte for
/// byte the one it writes itself (a test compares them for every core condition). When the SDK no longer exposes its schema
/// transform, or a declaration carries Anthropic-specific properties, the declarations pass through unchanged.
/// </summary>
public sealed class AnthropicToolsChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    /// <summary>The adapter's schema transform (<c>AnthropicClientExtensions.JsonSchemaTransformCache</c>), or null if this SDK has none.</summary>
    private static readonly AIJsonSchemaTransformCache? Transform =
        typeof(AnthropicClientExtensions).GetProperty("JsonSchemaTransformCache", BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null) as AIJsonSchemaTransformCache;

    private readonly ConditionalWeakTable<AIFunctionDeclaration, AITool> _converted = new();

    /// <summary>True when this SDK's schema transform was found, so declarations are converted once (tests check it stays so).</summary>
    public static bool Converts => Transform is not null;

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, Prepare(options), cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, Prepare(options), cancellationToken);

    /// <summary>A copy of the options whose function declarations are the converted tools, or the options as given.</summary>
    private ChatOptions? Prepare(ChatOptions? options)
    {
        if (Transform is null || options?.Tools is not { Count: > 0 } tools) return options;
        var converted = new List<AITool>(tools.Count);
        foreach (var tool in tools)
        {
            // Anthropic-specific settings ride in a declaration's AdditionalProperties; those the adapter converts itself.
            if (tool is not AIFunctionDeclaration declaration || declaration.AdditionalProperties.Count > 0) return options;
            converted.Add(_converted.GetValue(declaration, static d => Convert(d, Transform!)));
        }

        var prepared = options.Clone();
        prepared.Tools = converted;
        return prepared;
    }

    /// <summary>The adapter's conversion of a declaration without additional properties.</summary>
    private static AITool Convert(AIFunctionDeclaration declaration, AIJsonSchemaTransformCache transform)
    {
        var schema = transform.GetOrCreateTransformedSchema(declaration);
        var properties = new Dictionary<string, JsonElement>();
        if (schema.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in schema.EnumerateObject()) properties[property.Name] = property.Value;
        }

        ToolUnion tool = new Tool
        {
            Name = declaration.Name,
            Description = declaration.Description,
            InputSchema = new InputSchema(properties),
            DeferLoading = null,
            Strict = null,
            InputExamples = null,
            AllowedCallers = null,
        };
        return tool.AsAITool();
    }
}
