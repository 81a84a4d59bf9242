using System.Runtime.CompilerServices;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace Keel.Models;

/// <summary>
/// Anthropic prompt caching for agent loops: a breakpoint after the system prompt (which caches the tool
/// definitions and system prompt every sample of a condition shares) and one after the newest message (so
/// each turn re-reads the conversation so far from the cache). Breakpoints are set on copies of the two
/// content blocks, so earlier turns never accumulate marks (the API allows four). The system prompt's marked block is built
/// once per prompt text and handed to the SDK as its own <see cref="TextBlockParam"/> (the adapter sends a content's raw
/// block as is), so the SDK does not convert the longest text of every request again on every call.
/// </summary>
public sealed class PromptCachingChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    /// <summary>The marked system block of each system prompt (a scenario's prompt string is shared by all its samples).</summary>
    private static readonly ConditionalWeakTable<string, TextContent> SystemBlocks = new();

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(WithBreakpoints(messages.ToList()), options, cancellationToken);

    /// <summary>The messages with breakpoints on the system prompt and on the last block of the last message.</summary>
    public static IReadOnlyList<ChatMessage> WithBreakpoints(IReadOnlyList<ChatMessage> messages)
    {
        var result = messages.ToList();
        var system = result.FindLastIndex(m => m.Role == ChatRole.System);
        if (system >= 0) result[system] = Marked(result[system], Ttl.Ttl1h, isSystem: true);
        if (result.Count > 0 && result.Count - 1 != system) result[^1] = Marked(result[^1], Ttl.Ttl5m);
        return result;
    }

    private static ChatMessage Marked(ChatMessage message, Ttl ttl, bool isSystem = false)
    {
        var contents = message.Contents.ToList();
        var last = contents.Count - 1;
        if (last < 0) return message;
        AIContent? copy = contents[last] switch
        {
            TextContent { RawRepresentation: null, AdditionalProperties: null } t when isSystem => SystemBlocks.GetValue(t.Text, static text => Block(text, Ttl.Ttl1h)),
            TextContent t => new TextContent(t.Text).WithCacheControl(ttl),
            FunctionResultContent r => new FunctionResultContent(r.CallId, r.Result).WithCacheControl(ttl),
            _ => null,
        };
        if (copy is null) return message;
        contents[last] = copy;
        return new ChatMessage(message.Role, contents) { AuthorName = message.AuthorName, MessageId = message.MessageId };
    }

    /// <summary>
    /// A marked text content carrying, as its raw representation, the block the SDK's adapter would build from it: the text
    /// with the content's cache control (its <c>WithCacheControlFrom</c>); a test checks the request bodies are the same.
    /// </summary>
    private static TextContent Block(string text, Ttl ttl)
    {
        var control = new CacheControlEphemeral { Ttl = ttl };
        var content = new TextContent(text).WithCacheControl(control);
        content.RawRepresentation = new TextBlockParam { Text = text, CacheControl = control };
        return content;
    }
}
