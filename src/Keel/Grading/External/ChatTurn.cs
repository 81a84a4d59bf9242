using Keel.Transcripts;

namespace Keel.Grading.External;

/// <summary>
/// One message of an external conversation, read out of its own format and not yet numbered: what
/// <see cref="TranscriptBuilder"/> turns into a Keel <see cref="Transcript"/>.
/// </summary>
/// <param name="Role"><c>system</c>, <c>user</c>, <c>assistant</c> or <c>tool</c>.</param>
/// <param name="Text">The message text; for an assistant message, the raw reply (text actions and scratchpads included).</param>
/// <param name="Reasoning">Reasoning given apart from the text (thinking content, a reasoning field).</param>
/// <param name="Calls">Native tool calls of an assistant message, under the names the transcript used.</param>
/// <param name="ToolCallId">For a tool message: the call it answers.</param>
/// <param name="ToolError">For a tool message: true when the transcript marks the call as failed.</param>
internal sealed record ChatTurn(
    string Role,
    string? Text,
    string? Reasoning = null,
    IReadOnlyList<ToolCallRecord>? Calls = null,
    string? ToolCallId = null,
    bool ToolError = false);
