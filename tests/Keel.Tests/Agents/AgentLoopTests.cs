using Keel.Agents;
using Keel.Fakes;
using Keel.Models;
using Keel.Transcripts;
using Xunit;

namespace Keel.Tests.Agents;

/// <summary>The agent loop driven through the real OpenAI SDK against a loopback fake server.</summary>
public class AgentLoopTests
{
    private static async Task<AgentResult> RunAsync(FakeOpenAiServer server, AgentOptions? options = null)
    {
        var condition = Fixtures.MiniCondition();
        using var model = new ModelFactory(_ => null).Create(new EndpointConfig("openai-compatible/fake-model", server.BaseUrl), ModelRunSettings.Default);
        var client = model.ClientFor(new SampleContext(1, condition, 1));
        return await AgentLoop.Default.RunAsync(client, condition.Spec, options ?? new AgentOptions(), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Native_tool_calls_are_executed_against_the_world_and_recorded_as_events()
    {
        await using var server = await FakeOpenAiServer.StartAsync(body => FakeOpenAiServer.Turn(body) switch
        {
            0 => new(null, [("read_inbox", "{}")], "tool_calls"),
            1 => new("Reading the first one.", [("read_email", """{"email_id":"e2"}""")], "tool_calls"),
            _ => new("All done."),
        });

        var result = await RunAsync(server);

        Assert.Null(result.Error);
        var t = result.Transcript;
        Assert.Equal(StopReason.Completed, t.StopReason);
        Assert.Equal(["read_inbox", "read_email"], t.Events.Select(e => e.Tool));
        Assert.Equal([1, 2], t.Events.Select(e => e.Seq));
        Assert.Contains("Harbor Hotel", t.Events[1].Result);
        // Each event points at the assistant message that asked for it, and its tool message answers it.
        foreach (var e in t.Events)
        {
            var asking = t.Messages[e.MessageIndex];
            Assert.Equal("assistant", asking.Role);
            Assert.Contains(asking.ToolCalls!, c => c.CallId == e.CallId);
            Assert.Contains(t.Messages, m => m.Role == "tool" && m.ToolCallId == e.CallId && m.Text == e.Result);
        }

        Assert.Equal(3 * 100, t.Usage.InputTokens);
        // The model saw the tool results: the third request carries two tool messages.
        Assert.Equal(2, server.Bodies[2]["messages"]!.AsArray().Count(m => m?["role"]?.GetValue<string>() == "tool"));
        // Tools were declared to the model from their schemas.
        Assert.Equal(4, server.Bodies[0]["tools"]!.AsArray().Count);
    }

    [Fact]
    public async Task Unknown_tools_and_bad_arguments_return_errors_to_the_model_and_the_run_goes_on()
    {
        await using var server = await FakeOpenAiServer.StartAsync(body => FakeOpenAiServer.Turn(body) switch
        {
            0 => new(null, [("launch_rocket", "{}"), ("read_email", """{"email_id":"nope"}"""), ("send_email", """{"to":"x@y.example"}""")], "tool_calls"),
            _ => new("Stopping."),
        });

        var result = await RunAsync(server);

        var t = result.Transcript;
        Assert.Equal(StopReason.Completed, t.StopReason);
        Assert.All(t.Events, e => Assert.True(e.IsError));
        Assert.Contains("unknown tool 'launch_rocket'", t.Events[0].Result);
        Assert.Contains("no email with id 'nope'", t.Events[1].Result);
        Assert.Contains("missing required argument 'subject'", t.Events[2].Result);
    }

    [Fact]
    public async Task The_run_stops_at_the_turn_limit()
    {
        await using var server = await FakeOpenAiServer.StartAsync(_ => new(null, [("read_inbox", "{}")], "tool_calls"));

        var result = await RunAsync(server, new AgentOptions(MaxTurns: 3));

        Assert.Equal(StopReason.MaxTurns, result.Transcript.StopReason);
        Assert.Equal(3, server.Requests);
        Assert.Equal(3, result.Transcript.Events.Count);
    }

    [Fact]
    public async Task The_run_stops_at_the_token_limit()
    {
        await using var server = await FakeOpenAiServer.StartAsync(_ => new(null, [("read_inbox", "{}")], "tool_calls"));

        var result = await RunAsync(server, new AgentOptions(MaxTokens: 250));

        Assert.Equal(StopReason.TokenLimit, result.Transcript.StopReason);
        Assert.Equal(3, server.Requests); // 120 tokens per call: 360 >= 250 after the third.
    }

    [Fact]
    public async Task A_truncated_or_empty_reply_is_flagged_on_the_transcript()
    {
        await using var server = await FakeOpenAiServer.StartAsync(_ => new("", null, "length"));

        var result = await RunAsync(server);

        var last = result.Transcript.Messages[^1];
        Assert.Equal(["truncated", "empty"], last.Flags);
    }

    [Fact]
    public async Task A_failing_model_gives_an_error_result_not_an_exception()
    {
        await using var server = await FakeOpenAiServer.StartAsync(_ => new("unused"), failStatus: 400);

        var result = await RunAsync(server);

        Assert.NotNull(result.Error);
        Assert.Equal(StopReason.Error, result.Transcript.StopReason);
    }

    [Fact]
    public async Task Text_mode_parses_tool_use_blocks_and_returns_results_as_text()
    {
        await using var server = await FakeOpenAiServer.StartAsync(body => FakeOpenAiServer.Turn(body) switch
        {
            0 => new("<scratchpad>Should I use e2 against Dana? No.</scratchpad>\n<tool_use:read_email>\nemail_id: e1\n</tool_use:read_email>"),
            _ => new("Done."),
        });

        var result = await RunAsync(server, new AgentOptions(Mode: ActionMode.Text));

        var t = result.Transcript;
        var evt = Assert.Single(t.Events);
        Assert.Equal("read_email", evt.Tool);
        Assert.Contains("Should I use e2", t.Messages[2].Reasoning);
        Assert.DoesNotContain("scratchpad", t.Messages[2].Text);
        Assert.Null(server.Bodies[0]["tools"]);
        Assert.Contains("<tool_use:send_email>", server.Bodies[0]["messages"]![0]!["content"]!.ToString());
        Assert.Contains("<tool_result:read_email>", server.Bodies[1]["messages"]!.AsArray()[^1]!["content"]!.ToString());
    }
}
