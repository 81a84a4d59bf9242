using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace Keel.Models;

/// <summary>
/// Anthropic prompt caching for agent loops: a breakpoint after the system prompt (which caches the tool
/// definitions and system prompt every sample of a condition shares) and one after the newest message (so
/// each turn re-reads the conversation so far from the cache). Breakpoints are set on copies of the two
/// content blocks, so earlier turns never accumulate marks (the API allows four).
/// </summary>
public sealed class PromptCachingChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(WithBreakpoints(messages.ToList()), options, cancellationToken);

    /// <summary>The messages with breakpoints on the system prompt and on the last block of the last message.</summary>
    public static IReadOnlyList<ChatMessage> WithBreakpoints(IReadOnlyList<ChatMessage> messages)
    {
        var result = messages.ToList();
        var system = result.FindLastIndex(m => m.Role == ChatRole.System);
        if (system >= 0) result[system] = Marked(result[system], Ttl.Ttl1h);
        if (result.Count > 0 && result.Count - 1 != system) result[^1] = Marked(result[^1], Ttl.Ttl5m);
        return result;
    }

    private static ChatMessage Marked(ChatMessage message, Ttl ttl)
    {
        var contents = message.Contents.ToList();
        var last = contents.Count - 1;
        if (last < 0) return message;
        AIContent? copy = contents[last] switch
        {
            TextContent t => new TextContent(t.Text),
            FunctionResultContent r => new FunctionResultContent(r.CallId, r.Result),
            _ => null,
        };
        if (copy is null) return message;
        contents[last] = copy.WithCacheControl(ttl);
        return new ChatMessage(message.Role, contents) { AuthorName = message.AuthorName, MessageId = message.MessageId };
    }
}
