using System.Collections.Concurrent;
using System.Text.Json;
using Keel.Models;
using Microsoft.Extensions.AI;
using Xunit;

namespace Keel.Tests.Models;

/// <summary>What the response cache stores for a call, and what it gives back on a hit.</summary>
public class ResponseCacheEntryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class MemoryCache : IResponseCache
    {
        public ConcurrentDictionary<string, string> Entries { get; } = new();

        public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult(Entries.GetValueOrDefault(key));

        public ValueTask SetAsync(string key, string model, string responseJson, CancellationToken cancellationToken)
        {
            Entries[key] = responseJson;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class OneAnswer : IChatClient
    {
        public int Calls { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Déjà vu: \"quoted\"\nsecond line") { MessageId = "m1" })
            {
                ResponseId = "r1",
                ModelId = "fake",
                FinishReason = ChatFinishReason.Stop,
                Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20, TotalTokenCount = 120 },
            });
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private static readonly List<ChatMessage> Prompt = [new(ChatRole.System, "You are Atlas."), new(ChatRole.User, "Go.")];

    [Fact]
    public async Task An_entry_is_compact_JSON_and_a_hit_gives_back_the_same_response_without_a_call()
    {
        var cache = new MemoryCache();
        var inner = new OneAnswer();
        var client = new ResponseCacheChatClient(inner, cache, "openai/m", "c1", 1);

        var first = await client.GetResponseAsync(Prompt, cancellationToken: Ct);
        var second = await client.GetResponseAsync(Prompt, cancellationToken: Ct);

        Assert.Equal(1, inner.Calls);
        var entry = Assert.Single(cache.Entries.Values);
        Assert.DoesNotContain("\n  ", entry);
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.FinishReason, second.FinishReason);
        Assert.Equal(first.Usage!.OutputTokenCount, second.Usage!.OutputTokenCount);
        Assert.Equal(first.Messages[0].MessageId, second.Messages[0].MessageId);
        Assert.Equal(true, second.AdditionalProperties![ResponseCacheChatClient.HitProperty]);
    }

    [Fact]
    public async Task An_indented_entry_from_an_earlier_Keel_is_still_a_hit()
    {
        var cache = new MemoryCache();
        var inner = new OneAnswer();
        var client = new ResponseCacheChatClient(inner, cache, "openai/m", "c1", 1);
        var key = ResponseCacheChatClient.Key("openai/m", "c1", 1, Prompt, null);
        var response = await inner.GetResponseAsync(Prompt, cancellationToken: Ct);
        cache.Entries[key] = JsonSerializer.Serialize(response, AIJsonUtilities.DefaultOptions);
        Assert.Contains("\n  ", cache.Entries[key]);

        var hit = await client.GetResponseAsync(Prompt, cancellationToken: Ct);

        Assert.Equal(1, inner.Calls);
        Assert.Equal(response.Text, hit.Text);
    }
}
