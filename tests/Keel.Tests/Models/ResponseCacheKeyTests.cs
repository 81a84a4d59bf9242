using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
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

    [Theory]
    [InlineData(1)]
    [InlineData(40_000)]
    public void The_key_is_the_SHA256_of_the_calls_JSON_so_stored_entries_stay_valid(int promptLength)
    {
        // Long prompts cross the key's buffer more than once, and one string longer than the buffer makes it grow.
        var prompt = string.Concat(Enumerable.Range(0, promptLength).Select(i => (char)('a' + i % 26)));
        List<ChatMessage> messages =
        [
            new(ChatRole.System, prompt),
            new(ChatRole.User, "Process the inbox \"now\" \u00e9 <b>."),
            new(ChatRole.Assistant, [new TextContent("Reading."), new FunctionCallContent("call_1", "read_inbox", new Dictionary<string, object?> { ["folder"] = "inbox" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", string.Concat(Enumerable.Repeat("mail ", promptLength / 5 + 1)))]),
        ];
        var options = new ChatOptions
        {
            Temperature = 0.5f,
            TopP = 0.9f,
            MaxOutputTokens = 100,
            ToolMode = ChatToolMode.Auto,
            Tools = [.. new[] { "read_inbox", "send_email", "read_email" }.Select(t => ToolCatalogue.Default.Find(t)!.Definition.Declaration())],
        };

        for (var repeat = 0; repeat < 3; repeat++)
        {
            Assert.Equal(Sha256OfDocument("openai/x", "c", 7, messages, options), ResponseCacheChatClient.Key("openai/x", "c", 7, messages, options));
        }
    }

    /// <summary>The key as specified: SHA-256 (lower-case hex) of one JSON document of the call, in this order.</summary>
    private static string Sha256OfDocument(string model, string condition, int epoch, IReadOnlyList<ChatMessage> messages, ChatOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteString("condition", condition);
            w.WriteNumber("epoch", epoch);
            w.WritePropertyName("messages");
            JsonSerializer.Serialize(w, messages, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IReadOnlyList<ChatMessage>)));
            w.WriteNumber("temperature", options.Temperature!.Value);
            w.WriteNumber("top_p", options.TopP!.Value);
            w.WriteNumber("max_output_tokens", options.MaxOutputTokens!.Value);
            w.WriteString("tool_mode", options.ToolMode!.ToString());
            w.WriteStartArray("tools");
            foreach (var tool in options.Tools!.Cast<AIFunctionDeclaration>())
            {
                w.WriteStartObject();
                w.WriteString("name", tool.Name);
                w.WriteString("description", tool.Description);
                w.WritePropertyName("schema");
                tool.JsonSchema.WriteTo(w);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }
}
