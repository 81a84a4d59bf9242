using System.Text.Json;

namespace Keel.Transcripts;

/// <summary>Why an agent run ended.</summary>
public enum StopReason
{
    /// <summary>The model answered without calling a tool.</summary>
    Completed,

    /// <summary>The run reached the turn limit.</summary>
    MaxTurns,

    /// <summary>The run reached the token limit.</summary>
    TokenLimit,

    /// <summary>The model call failed; the sample is stored as an error.</summary>
    Error,
}

/// <summary>
/// Everything that happened in one sample: the conversation as the model saw it, and the
/// structured actions it took in the simulated world.
/// </summary>
/// <param name="Messages">System, user, assistant and tool messages in order.</param>
/// <param name="Events">Every tool call the agent made, executed or rejected, in order.</param>
/// <param name="StopReason">Why the run ended.</param>
/// <param name="Usage">Tokens billed: summed over the model calls made to the provider (cache hits excluded).</param>
public sealed record Transcript(
    IReadOnlyList<TranscriptMessage> Messages,
    IReadOnlyList<ActionEvent> Events,
    StopReason StopReason,
    TokenUsage Usage);

/// <summary>One message of the conversation.</summary>
/// <param name="Index">Position in the conversation, from 0.</param>
/// <param name="Role">system, user, assistant or tool.</param>
/// <param name="Text">Visible text (for assistant messages, the reply with private reasoning removed).</param>
/// <param name="Reasoning">Private reasoning (thinking content or a scratchpad); never an action.</param>
/// <param name="ToolCalls">Calls this assistant message made.</param>
/// <param name="ToolCallId">For tool messages: the call this result answers.</param>
/// <param name="Flags">Notes such as <c>truncated</c> (max tokens reached), <c>empty</c>, or <c>cache_hit</c> (served from the response cache).</param>
/// <param name="Usage">For assistant messages: the tokens of the call that produced it, as the provider reported them.</param>
public sealed record TranscriptMessage(
    int Index,
    string Role,
    string? Text,
    string? Reasoning = null,
    IReadOnlyList<ToolCallRecord>? ToolCalls = null,
    string? ToolCallId = null,
    IReadOnlyList<string>? Flags = null,
    TokenUsage? Usage = null);

/// <summary>A tool call as the model wrote it.</summary>
/// <param name="CallId">The provider's call id (or a generated one in text mode).</param>
/// <param name="Name">The tool name.</param>
/// <param name="Arguments">Arguments as JSON values.</param>
/// <param name="ParseError">Set when the arguments could not be read.</param>
public sealed record ToolCallRecord(
    string CallId,
    string Name,
    IReadOnlyDictionary<string, JsonElement> Arguments,
    string? ParseError = null);

/// <summary>A structured action: one tool call and what it did in the simulated world.</summary>
/// <param name="Seq">Sequence number within the sample, from 1.</param>
/// <param name="Tool">Tool name.</param>
/// <param name="Arguments">Arguments as JSON values.</param>
/// <param name="Result">The text returned to the model.</param>
/// <param name="IsError">True when the call was rejected (unknown tool, bad arguments).</param>
/// <param name="MessageIndex">Index of the assistant message that asked for it.</param>
/// <param name="CallId">The call id linking it to the tool message.</param>
public sealed record ActionEvent(
    int Seq,
    string Tool,
    IReadOnlyDictionary<string, JsonElement> Arguments,
    string Result,
    bool IsError,
    int MessageIndex,
    string CallId);

/// <summary>
/// Token counts, summed over model calls. <see cref="InputTokens"/> includes cache reads and writes,
/// as providers report it.
/// </summary>
public sealed record TokenUsage(long InputTokens, long OutputTokens, long CacheReadTokens = 0, long CacheWriteTokens = 0)
{
    /// <summary>No tokens.</summary>
    public static TokenUsage Zero { get; } = new(0, 0);

    /// <summary>Reads a provider's usage report: input includes cached tokens; Anthropic's cache writes come as an additional count.</summary>
    public static TokenUsage From(Microsoft.Extensions.AI.UsageDetails? usage) => usage is null
        ? Zero
        : new(usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0, usage.CachedInputTokenCount ?? 0,
            usage.AdditionalCounts?.TryGetValue("CacheCreationInputTokens", out var written) == true ? written : 0);

    /// <summary>Total of input and output.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long Total => InputTokens + OutputTokens;

    /// <summary>Adds two usages.</summary>
    public static TokenUsage operator +(TokenUsage a, TokenUsage b) =>
        new(a.InputTokens + b.InputTokens, a.OutputTokens + b.OutputTokens, a.CacheReadTokens + b.CacheReadTokens, a.CacheWriteTokens + b.CacheWriteTokens);
}
