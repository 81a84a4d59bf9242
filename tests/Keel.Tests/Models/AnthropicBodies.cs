using System.Text;
using Anthropic;
using Microsoft.Extensions.AI;

namespace Keel.Tests.Models;

/// <summary>What the Anthropic SDK's adapter sends: a handler that keeps request bodies, the plain adapter over it, and a client that keeps a first call.</summary>
public static class AnthropicBodies
{
    private const string Reply =
        """{"id":"msg_x","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"OK"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":2}}""";

    /// <summary>The SDK's own M.E.AI adapter (model <c>m</c>, 4096 output tokens) over <paramref name="catcher"/>, nothing of Keel's.</summary>
    public static IChatClient Adapter(Catcher catcher) =>
        new AnthropicClient { ApiKey = "none", BaseUrl = "http://127.0.0.1:9", HttpClient = new HttpClient(catcher), MaxRetries = 0 }.AsIChatClient("m", 4096);

    /// <summary>Keeps every request body and answers "OK".</summary>
    public sealed class Catcher : HttpMessageHandler
    {
        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(Reply, Encoding.UTF8, "application/json") };
        }
    }

    /// <summary>Keeps the messages and options of the first call and answers "OK".</summary>
    public sealed class FirstCall : IChatClient
    {
        public IReadOnlyList<ChatMessage>? Messages { get; private set; }

        public ChatOptions? Options { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Messages ??= messages.ToList();
            Options ??= options;
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "OK")) { FinishReason = ChatFinishReason.Stop });
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
