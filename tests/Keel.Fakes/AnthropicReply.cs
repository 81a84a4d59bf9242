using System.Text.Json.Nodes;

namespace Keel.Fakes;

/// <summary>A scripted Messages API reply: content blocks (text, tool_use, thinking...), a stop reason, and usage.</summary>
public sealed record AnthropicReply(JsonArray Content, string StopReason = "end_turn")
{
    /// <summary>The reply when no script is set.</summary>
    public static AnthropicReply Default { get; } = Text("OK");

    /// <summary>The <c>usage</c> of the message.</summary>
    public AnthropicUsage Usage { get; init; } = AnthropicUsage.Default;

    /// <summary>A reply of one text block.</summary>
    public static AnthropicReply Text(string text, string stopReason = "end_turn") =>
        new(new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }), stopReason);

    /// <summary>A reply of one text block holding <paramref name="value"/> serialized as JSON: a structured-output answer.</summary>
    public static AnthropicReply Json(object value) => Text(System.Text.Json.JsonSerializer.Serialize(value));

    /// <summary>A reply of one tool_use block, stopping with <c>tool_use</c>.</summary>
    public static AnthropicReply ToolUse(string id, string name, JsonObject input) =>
        new(new JsonArray(new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = input }), "tool_use");
}

/// <summary>Anthropic <c>usage</c>, including the prompt-cache fields.</summary>
public sealed record AnthropicUsage(int InputTokens = 50, int OutputTokens = 10, int CacheCreationInputTokens = 0, int CacheReadInputTokens = 0)
{
    /// <summary>50 input tokens, 10 output tokens, no cache activity.</summary>
    public static AnthropicUsage Default { get; } = new();
}
