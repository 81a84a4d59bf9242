using Keel.Models;
using Microsoft.Extensions.AI;
using Xunit;

namespace Keel.Tests.Models;

public class OpenAiToolsChatClientTests
{
    [Theory]
    [MemberData(nameof(ProviderBodies.CoreConditions), MemberType = typeof(ProviderBodies))]
    public async Task Every_core_condition_sends_the_body_MEAI_writes_itself(string conditionId)
    {
        var (messages, options) = await ProviderBodies.FirstCallAsync(conditionId);

        var (expected, actual) = await BodiesAsync(messages, options);

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
        var plainCatcher = ProviderBodies.OpenAi();
        var plain = ProviderBodies.OpenAiAdapter(plainCatcher);
        var keelCatcher = ProviderBodies.OpenAi();
        var keel = ModelFactory.OpenAiClient("m", "none", "http://127.0.0.1:9/v1", new HttpClient(keelCatcher));
        Assert.IsType<OpenAiToolsChatClient>(keel);

        await plain.GetResponseAsync(messages, options.Clone());
        await keel.GetResponseAsync(messages, options);
        await keel.GetResponseAsync(messages, options); // the second call uses the converted tools from the first
        Assert.Equal(keelCatcher.Bodies[0], keelCatcher.Bodies[1]);
        return (plainCatcher.Bodies[0], keelCatcher.Bodies[1]);
    }
}
