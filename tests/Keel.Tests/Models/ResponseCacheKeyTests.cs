using Keel.Environment;
using Keel.Models;
using Microsoft.Extensions.AI;
using Xunit;

namespace Keel.Tests.Models;

public class ResponseCacheKeyTests
{
    private static readonly List<ChatMessage> Messages = [new(ChatRole.System, "You are Atlas."), new(ChatRole.User, "Process the inbox.")];

    private static ChatOptions Options(float? temperature = 0.5f, string tool = "read_inbox") => new()
    {
        Temperature = temperature,
        Tools = [ToolCatalogue.Default.Find(tool)!.Definition.Declaration()],
    };

    private static string Key(string condition = "c", int epoch = 1, IReadOnlyList<ChatMessage>? messages = null, ChatOptions? options = null) =>
        ResponseCacheChatClient.Key("openai/x", condition, epoch, messages ?? Messages, options ?? Options());

    [Fact]
    public void The_same_call_gets_the_same_key() => Assert.Equal(Key(), Key(messages: [.. Messages], options: Options()));

    [Fact]
    public void Epoch_condition_messages_parameters_and_tools_each_change_the_key()
    {
        var keys = new[]
        {
            Key(),
            Key(epoch: 2),
            Key(condition: "d"),
            Key(messages: [.. Messages, new(ChatRole.Assistant, "Done.")]),
            Key(options: Options(temperature: 0.9f)),
            Key(options: Options(tool: "read_email")),
        };

        Assert.Equal(keys.Length, keys.Distinct().Count());
    }
}
