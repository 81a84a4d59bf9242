namespace Keel.Fakes;

/// <summary>A scripted chat completion: text, tool calls (name, JSON arguments), a finish reason, and usage.</summary>
public sealed record OpenAiReply(string? Text, IReadOnlyList<(string Name, string Arguments)>? ToolCalls = null, string FinishReason = "stop")
{
    /// <summary>The reply when no script is set.</summary>
    public static OpenAiReply Default { get; } = new("OK");

    /// <summary>A reply whose text is <paramref name="value"/> serialized as JSON: a structured-output answer.</summary>
    public static OpenAiReply Json(object value) => new(System.Text.Json.JsonSerializer.Serialize(value));

    /// <summary>The <c>usage</c> of the completion.</summary>
    public OpenAiUsage Usage { get; init; } = OpenAiUsage.Default;
}

/// <summary>OpenAI <c>usage</c>: <c>total_tokens</c> is the sum, and <see cref="CachedTokens"/> goes in <c>prompt_tokens_details.cached_tokens</c>.</summary>
public sealed record OpenAiUsage(int PromptTokens = 100, int CompletionTokens = 20, int CachedTokens = 0)
{
    /// <summary>100 prompt tokens, 20 completion tokens, none cached.</summary>
    public static OpenAiUsage Default { get; } = new();
}
