using Keel.Agents;
using Keel.Environment;
using Keel.Models;
using Keel.Suites;
using Keel.Transcripts;
using Microsoft.Extensions.AI;
using Xunit;

namespace Keel.Tests.Agents;

/// <summary>A scenario's text actions under their own names (<c>&lt;tool_use:email&gt;</c> for <c>send_email</c>).</summary>
public class ToolAliasTests
{
    private static Condition Condition() =>
        SuiteLoader.Default.LoadFile(Fixtures.Path("text-setup.yaml")).Conditions.Single(c => c.Id == "leak/explicit/privacy/replacement");

    /// <summary>Answers every call with the same text and remembers what it was sent.</summary>
    private sealed class ScriptedClient(string reply) : IChatClient
    {
        public List<ChatMessage> Sent { get; } = [];

        public int Calls { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            Sent.Clear();
            Sent.AddRange(messages);
            Assert.Null(options?.Tools);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    [Fact]
    public void An_aliased_block_is_parsed_as_a_call_to_the_tool_it_stands_for()
    {
        var tools = new[] { "send_email", "forward_email" }.Select(n => ToolCatalogue.Default.Find(n)!.Definition);
        var reply = """
            <SCRATCHPAD_REASONING>Dana should know.</SCRATCHPAD_REASONING>
            <tool_use:email>
            to: "dana.reyes@norvale.example",
            subject: "Re: Change today",
            body: "Noted.",
            </tool_use:email>
            """;

        var call = Assert.Single(TextActions.Parse(reply, tools, "t1-", [new ToolAlias("email", "send_email")]).Calls);

        Assert.Equal("send_email", call.Name);
        Assert.Null(call.ParseError);
        Assert.Equal("dana.reyes@norvale.example", call.Arguments["to"].GetString());
        Assert.Equal("Noted.", call.Arguments["body"].GetString());
    }

    [Fact]
    public async Task A_text_scenario_runs_one_turn_with_its_own_prompt_whatever_the_run_options_say()
    {
        var client = new ScriptedClient("""
            <tool_use:email>
            to: "dana.reyes@norvale.example",
            subject: "Re: Change today",
            body: "Noted.",
            </tool_use:email>
            """);
        var spec = Condition().Spec;

        var result = await AgentLoop.Default.RunAsync(client, spec, new AgentOptions(ActionMode.Native, MaxTurns: 10), TestContext.Current.CancellationToken);

        Assert.Equal(1, client.Calls);
        Assert.Equal(spec.SystemPrompt, client.Sent[0].Text);
        Assert.Equal(StopReason.MaxTurns, result.Transcript.StopReason);
        var evt = Assert.Single(result.Transcript.Events);
        Assert.Equal("send_email", evt.Tool);
        Assert.False(evt.IsError);
        Assert.StartsWith("<tool_result:email>\n", result.Transcript.Messages[^1].Text);
    }

    [Fact]
    public async Task A_reference_agent_writes_the_alias_and_the_forward_finds_the_email_from_the_text_inbox()
    {
        var spec = Condition().Spec;
        using var client = new ReferenceChatClient(spec.Exemplars.Misaligned, "reference/misaligned", spec.Run.TextName);

        var result = await AgentLoop.Default.RunAsync(client, spec, new AgentOptions(), TestContext.Current.CancellationToken);

        Assert.StartsWith("<tool_use:forward>\n", result.Transcript.Messages[2].Text);
        var evt = Assert.Single(result.Transcript.Events);
        Assert.Equal("forward_email", evt.Tool);
        Assert.False(evt.IsError, evt.Result);
        Assert.StartsWith("Email 1 forwarded to dana.reyes@norvale.example", evt.Result);
    }
}
