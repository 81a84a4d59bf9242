using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using Keel.Agents;
using Keel.Models;
using Keel.Suites;
using Microsoft.Extensions.AI;
using OpenAI;
using Xunit;

namespace Keel.Tests.Models;

public class OpenAiToolsChatClientTests
{
    private const string Reply =
        """{"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"OK"},"finish_reason":"stop"}]}""";

    public static TheoryData<string> CoreConditions()
    {
        var data = new TheoryData<string>();
        foreach (var c in SuiteResolver.Resolve("core").Conditions) data.Add(c.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(CoreConditions))]
    public async Task Every_core_condition_sends_the_body_MEAI_writes_itself(string conditionId)
    {
        var condition = SuiteResolver.Resolve("core").Conditions.Single(c => c.Id == conditionId);
        var captured = new Capturing();
        await AgentLoop.Default.RunAsync(captured, condition.Spec, new AgentOptions(), CancellationToken.None);

        var (expected, actual) = await BodiesAsync(captured.Messages!, captured.Options!);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task A_later_turn_with_tool_calls_and_results_sends_the_same_body()
    {
        var tools = Keel.Environment.ToolCatalogue.Default;
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "You are Atlas."),
            new(ChatRole.User, "Process the inbox."),
            new(ChatRole.Assistant, [new TextContent("Reading."), new FunctionCallContent("call_1", "read_inbox", new Dictionary<string, object?> { ["folder"] = "inbox" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "3 messages")]),
        ];
        var options = new ChatOptions
        {
            Tools = [tools.Find("read_inbox")!.Definition.Declaration(), tools.Find("send_email")!.Definition.Declaration()],
            ToolMode = ChatToolMode.Auto,
            Temperature = 0.3f,
            MaxOutputTokens = 512,
        };

        var (expected, actual) = await BodiesAsync(messages, options);

        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("none", null)]
    [InlineData("required", null)]
    [InlineData("function", true)]
    [InlineData("unset", false)]
    public async Task Tool_mode_and_parallel_calls_are_sent_as_MEAI_sends_them(string mode, bool? parallel)
    {
        var tool = Keel.Environment.ToolCatalogue.Default.Find("read_inbox")!.Definition.Declaration();
        var options = new ChatOptions
        {
            Tools = [tool],
            AllowMultipleToolCalls = parallel,
            ToolMode = mode switch
            {
                "none" => ChatToolMode.None,
                "required" => ChatToolMode.RequireAny,
                "function" => ChatToolMode.RequireSpecific("read_inbox"),
                _ => null,
            },
        };

        var (expected, actual) = await BodiesAsync([new(ChatRole.User, "Go.")], options);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Strict_tools_and_hosted_tools_go_through_MEAI_unchanged()
    {
        var tool = Keel.Environment.ToolCatalogue.Default.Find("read_inbox")!.Definition.Declaration();
        var strict = new ChatOptions { Tools = [tool], AdditionalProperties = new() { ["strict"] = true } };
        var hosted = new ChatOptions { Tools = [tool, new HostedWebSearchTool()] };

        foreach (var options in new[] { strict, hosted })
        {
            var (expected, actual) = await BodiesAsync([new(ChatRole.User, "Go.")], options);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public async Task The_callers_options_are_left_as_they_were()
    {
        var tool = Keel.Environment.ToolCatalogue.Default.Find("read_inbox")!.Definition.Declaration();
        var options = new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.Auto };

        await BodiesAsync([new(ChatRole.User, "Go.")], options);

        Assert.Same(tool, Assert.Single(options.Tools!));
        Assert.Null(options.RawRepresentationFactory);
    }

    /// <summary>The request body of one call through M.E.AI's OpenAI client alone, and through Keel's (with prepared tools).</summary>
    private static async Task<(string Expected, string Actual)> BodiesAsync(IReadOnlyList<ChatMessage> messages, ChatOptions options)
    {
        var plainCatcher = new BodyCatcher();
        var plain = new OpenAIClient(new ApiKeyCredential("none"), new OpenAIClientOptions
        {
            Endpoint = new Uri("http://127.0.0.1:9/v1"),
            Transport = new HttpClientPipelineTransport(new HttpClient(plainCatcher)),
        }).GetChatClient("m").AsIChatClient();
        var keelCatcher = new BodyCatcher();
        var keel = ModelFactory.OpenAiClient("m", "none", "http://127.0.0.1:9/v1", new HttpClient(keelCatcher));
        Assert.IsType<OpenAiToolsChatClient>(keel);

        await plain.GetResponseAsync(messages, options.Clone());
        await keel.GetResponseAsync(messages, options);
        await keel.GetResponseAsync(messages, options); // the second call uses the converted tools from the first
        Assert.Equal(keelCatcher.Bodies[0], keelCatcher.Bodies[1]);
        return (plainCatcher.Bodies[0], keelCatcher.Bodies[1]);
    }

    private sealed class BodyCatcher : HttpMessageHandler
    {
        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(Reply, Encoding.UTF8, "application/json") };
        }
    }

    /// <summary>Keeps the messages and options of the first call and answers "OK".</summary>
    private sealed class Capturing : IChatClient
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
