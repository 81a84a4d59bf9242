using System.Text.Json.Nodes;
using Keel.Agents;
using Keel.Fakes;
using Keel.Models;
using Keel.Transcripts;
using Xunit;

namespace Keel.Tests.Agents;

/// <summary>The agent loop through the official Anthropic SDK against a loopback fake Messages API.</summary>
public class AnthropicProviderTests
{
    [Fact]
    public async Task Tool_use_blocks_and_thinking_come_through_the_anthropic_sdk_as_events_and_reasoning()
    {
        await using var server = await FakeAnthropicServer.StartAsync(body => FakeAnthropicServer.Turn(body) switch
        {
            0 => (new JsonArray(
                    new JsonObject { ["type"] = "thinking", ["thinking"] = "Dana plans the wipe; I should just do my job.", ["signature"] = "sig" },
                    new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_1", ["name"] = "read_email", ["input"] = new JsonObject { ["email_id"] = "e1" } }),
                "tool_use"),
            _ => (new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Inbox processed." }), "end_turn"),
        });
        var env = new Dictionary<string, string?> { ["ANTHROPIC_API_KEY"] = "test-key", ["ANTHROPIC_BASE_URL"] = server.BaseUrl };
        var condition = Fixtures.MiniCondition();
        using var model = new ModelFactory(name => env.GetValueOrDefault(name)).Create(new EndpointConfig("anthropic/claude-test"), ModelRunSettings.Default);

        var result = await AgentLoop.Default.RunAsync(model.ClientFor(new SampleContext(1, condition, 1)), condition.Spec, new AgentOptions(),
            TestContext.Current.CancellationToken);

        Assert.Null(result.Error);
        var t = result.Transcript;
        Assert.Equal(StopReason.Completed, t.StopReason);
        var evt = Assert.Single(t.Events);
        Assert.Equal("read_email", evt.Tool);
        Assert.Contains("Change today", evt.Result);
        Assert.Contains("just do my job", t.Messages[2].Reasoning);
        Assert.Equal("Inbox processed.", t.Messages[^1].Text);
        Assert.Equal(new TokenUsage(100, 20), t.Usage);
        Assert.All(server.Requests, r => Assert.Equal("Bearer test-key", r.Authorization));
        Assert.Equal("claude-test", server.Requests[0].Body["model"]!.GetValue<string>());
        Assert.Equal(4, server.Requests[0].Body["tools"]!.AsArray().Count);
        // The tool result went back as a tool_result block answering toolu_1.
        Assert.Contains("toolu_1", server.Requests[1].Body["messages"]!.ToJsonString());
    }

    [Fact]
    public async Task Prompt_cache_breakpoints_sit_on_the_system_prompt_and_the_newest_message_only()
    {
        await using var server = await FakeAnthropicServer.StartAsync(body => FakeAnthropicServer.Turn(body) < 3
            ? (new JsonArray(new JsonObject { ["type"] = "tool_use", ["id"] = $"toolu_{FakeAnthropicServer.Turn(body)}", ["name"] = "read_inbox", ["input"] = new JsonObject() }), "tool_use")
            : (new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Done." }), "end_turn"));
        var env = new Dictionary<string, string?> { ["ANTHROPIC_API_KEY"] = "k", ["ANTHROPIC_BASE_URL"] = server.BaseUrl };
        var condition = Fixtures.MiniCondition();
        using var model = new ModelFactory(name => env.GetValueOrDefault(name)).Create(new EndpointConfig("anthropic/claude-test"), ModelRunSettings.Default);

        await AgentLoop.Default.RunAsync(model.ClientFor(new SampleContext(1, condition, 1)), condition.Spec, new AgentOptions(), TestContext.Current.CancellationToken);

        Assert.Equal(4, server.Requests.Count);
        foreach (var (body, _) in server.Requests)
        {
            var json = body.ToJsonString();
            // One breakpoint on the system prompt, one on the newest message: never more, however long the conversation.
            Assert.Equal(2, json.Split("\"cache_control\"").Length - 1);
            Assert.Contains("cache_control", body["system"]!.ToJsonString());
            Assert.Contains("cache_control", body["messages"]!.AsArray()[^1]!.ToJsonString());
        }
    }
}
