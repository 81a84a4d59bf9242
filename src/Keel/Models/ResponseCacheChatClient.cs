using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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

    /// <summary>The cache key: SHA-256 over the model, condition, epoch, messages, tools and sampling parameters.</summary>
    public static string Key(string model, string conditionId, int epoch, IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        var key = new JsonObject
        {
            ["model"] = model,
            ["condition"] = conditionId,
            ["epoch"] = epoch,
            ["messages"] = JsonSerializer.SerializeToNode(messages, AIJsonUtilities.DefaultOptions),
            ["temperature"] = options?.Temperature,
            ["top_p"] = options?.TopP,
            ["max_output_tokens"] = options?.MaxOutputTokens,
            ["reasoning"] = options?.Reasoning?.Effort?.ToString(),
            ["tool_mode"] = options?.ToolMode?.ToString(),
            ["tools"] = new JsonArray((options?.Tools ?? []).Select(t => (JsonNode)new JsonObject
            {
                ["name"] = t.Name,
                ["description"] = t.Description,
                ["schema"] = t is AIFunctionDeclaration f ? JsonNode.Parse(f.JsonSchema.GetRawText()) : null,
            }).ToArray()),
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToJsonString())));
    }
}
