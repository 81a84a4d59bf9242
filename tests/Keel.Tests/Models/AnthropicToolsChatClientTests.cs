using Keel.Models;
using Microsoft.Extensions.AI;
using Xunit;

namespace Keel.Tests.Models;

/// <summary>Tool declarations converted once for the Anthropic SDK: the request body stays the one its adapter writes itself.</summary>
public class AnthropicToolsChatClientTests
{
    [Fact]
    public void This_sdk_exposes_the_schema_transform_the_conversion_uses()
    {
        // If an SDK upgrade hides it, declarations pass through unconverted (correct, but every call converts them again).
        Assert.True(AnthropicToolsChatClient.Converts);
    }

    [Theory]
    [MemberData(nameof(ProviderBodies.CoreConditions), MemberType = typeof(ProviderBodies))]
    public async Task Every_core_condition_sends_the_body_the_adapter_writes_itself(string conditionId)
    {
        var (messages, options) = await ProviderBodies.FirstCallAsync(conditionId);

        var (expected, actual) = await BodiesAsync(messages, options);

        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("required")]
    [InlineData("function")]
    public async Task Tool_modes_are_sent_as_the_adapter_sends_them(string mode)
    {
        var tools = Keel.Environment.ToolCatalogue.Default;
        var options = new ChatOptions
        {
            Tools = [tools.Find("read_inbox")!.Definition.Declaration(), tools.Find("send_email")!.Definition.Declaration()],
            ToolMode = mode switch { "none" => ChatToolMode.None, "required" => ChatToolMode.RequireAny, _ => ChatToolMode.RequireSpecific("send_email") },
            Temperature = 0.3f,
        };

        var (expected, actual) = await BodiesAsync([new(ChatRole.System, "You are Atlas."), new(ChatRole.User, "Go.")], options);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Hosted_tools_go_through_unchanged()
    {
        var tool = Keel.Environment.ToolCatalogue.Default.Find("read_inbox")!.Definition.Declaration();
        var hosted = new ChatOptions { Tools = [tool, new HostedWebSearchTool()] };

        var (expected, actual) = await BodiesAsync([new(ChatRole.User, "Go.")], hosted);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Concurrent_calls_share_the_converted_tools_and_send_the_same_body()
    {
        var (messages, options) = await ProviderBodies.FirstCallAsync("blackmail-larkspur/explicit/replacement");
        var catcher = ProviderBodies.Anthropic();
        var keel = ModelFactory.AnthropicClient("m", "none", "http://127.0.0.1:9", new HttpClient(catcher), 4096);

        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => keel.GetResponseAsync(messages, options), TestContext.Current.CancellationToken)));

        List<string> bodies;
        lock (catcher.Bodies) bodies = [.. catcher.Bodies];
        Assert.Equal(64, bodies.Count);
        Assert.Single(bodies.Distinct());
    }

    [Fact]
    public async Task The_callers_options_are_left_as_they_were()
    {
        var tool = Keel.Environment.ToolCatalogue.Default.Find("read_inbox")!.Definition.Declaration();
        var options = new ChatOptions { Tools = [tool] };

        await BodiesAsync([new(ChatRole.User, "Go.")], options);

        Assert.Same(tool, Assert.Single(options.Tools!));
    }

    /// <summary>The request body of one call through the SDK's adapter alone, and through Keel's (with converted tools).</summary>
    private static async Task<(string Expected, string Actual)> BodiesAsync(IReadOnlyList<ChatMessage> messages, ChatOptions options)
    {
        var plainCatcher = ProviderBodies.Anthropic();
        var plain = ProviderBodies.AnthropicAdapter(plainCatcher);
        var keelCatcher = ProviderBodies.Anthropic();
        var keel = ModelFactory.AnthropicClient("m", "none", "http://127.0.0.1:9", new HttpClient(keelCatcher), 4096);
        Assert.IsType<AnthropicToolsChatClient>(keel);

        await plain.GetResponseAsync(messages, options.Clone());
        await keel.GetResponseAsync(messages, options);
        await keel.GetResponseAsync(messages, options); // the second call uses the tools converted by the first
        Assert.Equal(keelCatcher.Bodies[0], keelCatcher.Bodies[1]);
        return (plainCatcher.Bodies[0], keelCatcher.Bodies[1]);
    }
}
