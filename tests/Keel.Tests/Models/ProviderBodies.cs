using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using Anthropic;
using Keel.Agents;
using Keel.Suites;
using Microsoft.Extensions.AI;
using OpenAI;
using Xunit;

namespace Keel.Tests.Models;

/// <summary>
/// What the SDKs send, for tests that compare request bodies: a handler that keeps them, the SDKs' plain M.E.AI clients over
/// it, a client that keeps the first call an agent makes, and the core conditions to run.
/// </summary>
public static class ProviderBodies
{
    private const string OpenAiReply =
        """{"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"OK"},"finish_reason":"stop"}]}""";

    private const string AnthropicReply =
        """{"id":"msg_x","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"OK"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":2}}""";

    /// <summary>Every condition of the built-in <c>core</c> suite, by id.</summary>
    public static TheoryData<string> CoreConditions()
    {
        var data = new TheoryData<string>();
        foreach (var c in SuiteResolver.Resolve("core").Conditions) data.Add(c.Id);
        return data;
    }

    /// <summary>A catcher answering as OpenAI's chat completions do.</summary>
    public static Catcher OpenAi() => new(OpenAiReply);

    /// <summary>A catcher answering as Anthropic's messages endpoint does.</summary>
    public static Catcher Anthropic() => new(AnthropicReply);

    /// <summary>M.E.AI's own OpenAI chat client (model <c>m</c>) over <paramref name="catcher"/>, nothing of Keel's.</summary>
    public static IChatClient OpenAiAdapter(Catcher catcher) =>
        new OpenAIClient(new ApiKeyCredential("none"), new OpenAIClientOptions
        {
            Endpoint = new Uri("http://127.0.0.1:9/v1"),
            Transport = new HttpClientPipelineTransport(new HttpClient(catcher)),
        }).GetChatClient("m").AsIChatClient();

    /// <summary>The Anthropic SDK's own M.E.AI adapter (model <c>m</c>, 4096 output tokens) over <paramref name="catcher"/>, nothing of Keel's.</summary>
    public static IChatClient AnthropicAdapter(Catcher catcher) =>
        new AnthropicClient { ApiKey = "none", BaseUrl = "http://127.0.0.1:9", HttpClient = new HttpClient(catcher), MaxRetries = 0 }.AsIChatClient("m", 4096);

    /// <summary>The first call <see cref="AgentLoop.Default"/> makes for a core condition: its messages and options.</summary>
    public static async Task<(IReadOnlyList<ChatMessage> Messages, ChatOptions Options)> FirstCallAsync(string conditionId)
    {
        var condition = SuiteResolver.Resolve("core").Conditions.Single(c => c.Id == conditionId);
        var first = new FirstCall();
        await AgentLoop.Default.RunAsync(first, condition.Spec, new AgentOptions(), CancellationToken.None);
        return (first.Messages!, first.Options!);
    }

    /// <summary>Keeps every request body and answers "OK".</summary>
    public sealed class Catcher(string reply) : HttpMessageHandler
    {
        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            lock (Bodies) Bodies.Add(body);
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(reply, Encoding.UTF8, "application/json") };
        }
    }

    /// <summary>Keeps the messages and options of the first call and answers "OK".</summary>
    private sealed class FirstCall : IChatClient
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
