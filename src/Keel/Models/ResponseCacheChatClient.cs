using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Keel.Models;

/// <summary>Where cached model responses live (the run store implements it).</summary>
public interface IResponseCache
{
    /// <summary>The cached response JSON for a key, or null.</summary>
    ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Stores a response under a key.</summary>
    ValueTask SetAsync(string key, string model, string responseJson, CancellationToken cancellationToken);
}

/// <summary>
/// A content-addressed response cache for one sample: the key covers the model, the call's parameters,
/// messages and tools, and the sample's condition and epoch. Re-running the same sample (after a kill, or
/// to re-grade) costs nothing, while two epochs of one condition never share a response (they stay
/// independent draws), and neither do two conditions whose first prompts happen to be identical (their
/// worlds differ only in what tools reveal later), so conditions stay independent samples too.
/// Cache hits are marked in <see cref="ChatResponse.AdditionalProperties"/> under <see cref="HitProperty"/>.
/// </summary>
public sealed class ResponseCacheChatClient(IChatClient inner, IResponseCache cache, string model, string conditionId, int epoch) : DelegatingChatClient(inner)
{
    /// <summary>The property set to true on responses served from the cache.</summary>
    public const string HitProperty = "keel.cache_hit";

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var key = Key(model, conditionId, epoch, list, options);
        if (await cache.GetAsync(key, cancellationToken).ConfigureAwait(false) is { } json
            && JsonSerializer.Deserialize<ChatResponse>(json, AIJsonUtilities.DefaultOptions) is { } cached)
        {
            (cached.AdditionalProperties ??= [])[HitProperty] = true;
            return cached;
        }

        var response = await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        await cache.SetAsync(key, model, JsonSerializer.Serialize(response, AIJsonUtilities.DefaultOptions), cancellationToken).ConfigureAwait(false);
        return response;
    }

    /// <summary>
    /// The cache key: SHA-256 over the model, condition, epoch, messages, tools, sampling parameters and the JSON schema
    /// of a structured-output request. For the judge, the condition is its scope (what is judged) and the epoch its draw.
    /// </summary>
    public static string Key(string model, string conditionId, int epoch, IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        // Written straight to one buffer (no JSON DOM): this runs on every model call.
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteString("condition", conditionId);
            w.WriteNumber("epoch", epoch);
            w.WritePropertyName("messages");
            JsonSerializer.Serialize(w, messages, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IReadOnlyList<ChatMessage>)));
            if (options?.Temperature is { } temperature) w.WriteNumber("temperature", temperature);
            if (options?.TopP is { } topP) w.WriteNumber("top_p", topP);
            if (options?.MaxOutputTokens is { } max) w.WriteNumber("max_output_tokens", max);
            if (options?.Reasoning?.Effort is { } effort) w.WriteString("reasoning", effort.ToString());
            if (options?.ToolMode is { } mode) w.WriteString("tool_mode", mode.ToString());
            // Structured output (the judge): the schema asked for is part of the request. Agents never set it.
            if (options?.ResponseFormat is ChatResponseFormatJson json)
            {
                w.WriteStartObject("response_format");
                if (json.SchemaName is { } name) w.WriteString("name", name);
                if (json.Schema is { } schema)
                {
                    w.WritePropertyName("schema");
                    schema.WriteTo(w);
                }

                w.WriteEndObject();
            }
            w.WriteStartArray("tools");
            foreach (var tool in options?.Tools ?? [])
            {
                w.WriteStartObject();
                w.WriteString("name", tool.Name);
                w.WriteString("description", tool.Description);
                if (tool is AIFunctionDeclaration f)
                {
                    w.WritePropertyName("schema");
                    f.JsonSchema.WriteTo(w);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }
}
