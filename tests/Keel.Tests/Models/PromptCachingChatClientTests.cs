using Anthropic.Models.Messages;
using Keel.Models;
using Microsoft.Extensions.AI;
using Xunit;

namespace Keel.Tests.Models;

/// <summary>
/// The cache breakpoints Keel sets send the body the SDK's adapter writes for contents marked the documented way
/// (<c>WithCacheControl</c>), although the system prompt's block is built once and handed over ready.
/// </summary>
public class PromptCachingChatClientTests
{
    [Theory]
    [MemberData(nameof(ProviderBodies.CoreConditions), MemberType = typeof(ProviderBodies))]
    public async Task Every_core_condition_sends_the_body_of_contents_marked_the_documented_way(string conditionId)
    {
        var (messages, options) = await ProviderBodies.FirstCallAsync(conditionId);

        var (expected, actual) = await BodiesAsync(messages, options);

        Assert.Equal(expected, actual);
        Assert.Contains("\"ttl\":\"1h\"", actual);
    }

    [Fact]
    public async Task A_later_turn_marks_the_system_prompt_and_the_newest_tool_result()
    {
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "You are Atlas."),
            new(ChatRole.User, "Process the inbox."),
            new(ChatRole.Assistant, [new TextContent("Reading."), new FunctionCallContent("toolu_1", "read_inbox", new Dictionary<string, object?> { ["folder"] = "inbox" })]),
            new(ChatRole.Tool, [new FunctionResultContent("toolu_1", "3 messages")]),
        ];

        var (expected, actual) = await BodiesAsync(messages, new ChatOptions());

        Assert.Equal(expected, actual);
        Assert.Equal(2, actual.Split("\"cache_control\"").Length - 1);
    }

    [Fact]
    public async Task The_callers_messages_keep_no_marks()
    {
        List<ChatMessage> messages = [new(ChatRole.System, "You are Atlas."), new(ChatRole.User, "Go.")];

        await BodiesAsync(messages, new ChatOptions());

        Assert.All(messages, m => Assert.All(m.Contents, c => Assert.Null(c.RawRepresentation)));
        Assert.All(messages, m => Assert.All(m.Contents, c => Assert.Null(c.AdditionalProperties)));
    }

    /// <summary>
    /// The body for contents marked by hand (system prompt 1 h, newest message's last block 5 min) through the plain adapter,
    /// and through <see cref="PromptCachingChatClient"/> over it, twice (the second call uses the system block built by the first).
    /// </summary>
    private static async Task<(string Expected, string Actual)> BodiesAsync(IReadOnlyList<ChatMessage> messages, ChatOptions options)
    {
        var plainCatcher = ProviderBodies.Anthropic();
        await ProviderBodies.AnthropicAdapter(plainCatcher).GetResponseAsync(ByHand(messages), options.Clone());
        var keelCatcher = ProviderBodies.Anthropic();
        var keel = new PromptCachingChatClient(ProviderBodies.AnthropicAdapter(keelCatcher));
        await keel.GetResponseAsync(messages, options.Clone());
        await keel.GetResponseAsync(messages, options.Clone());
        Assert.Equal(keelCatcher.Bodies[0], keelCatcher.Bodies[1]);
        return (plainCatcher.Bodies[0], keelCatcher.Bodies[1]);
    }

    private static List<ChatMessage> ByHand(IReadOnlyList<ChatMessage> messages)
    {
        var result = messages.ToList();
        var system = result.FindLastIndex(m => m.Role == ChatRole.System);
        result[system] = Mark(result[system], Ttl.Ttl1h);
        if (result.Count - 1 != system) result[^1] = Mark(result[^1], Ttl.Ttl5m);
        return result;

        static ChatMessage Mark(ChatMessage message, Ttl ttl)
        {
            var contents = message.Contents.ToList();
            contents[^1] = contents[^1] switch
            {
                TextContent t => new TextContent(t.Text).WithCacheControl(ttl),
                FunctionResultContent r => new FunctionResultContent(r.CallId, r.Result).WithCacheControl(ttl),
                var other => other,
            };
            return new ChatMessage(message.Role, contents);
        }
    }
}
