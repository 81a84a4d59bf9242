using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Keel.Models;

/// <summary>
/// Offline token counts with the o200k tokenizer (Microsoft.ML.Tokenizers). Exact for OpenAI's current
/// models; an approximation for others, whose tokenizers are not public.
/// </summary>
public static class TokenEstimator
{
    private const int PerMessageOverhead = 4;
    private static readonly Lazy<Tokenizer> Tokenizer = new(() => TiktokenTokenizer.CreateForModel("gpt-4o"));

    /// <summary>Tokens in a text.</summary>
    public static int Count(string? text) => string.IsNullOrEmpty(text) ? 0 : Tokenizer.Value.CountTokens(text);

    /// <summary>Tokens a request sends: every message's content plus the declared tools' names, descriptions and schemas.</summary>
    public static int Count(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var total = messages.Sum(Count);
        foreach (var tool in options?.Tools ?? [])
        {
            total += Count(tool.Name) + Count(tool.Description) + (tool is AIFunctionDeclaration f ? Count(f.JsonSchema.GetRawText()) : 0);
        }

        return total;
    }

    /// <summary>Tokens of one message: its text, tool calls and tool results.</summary>
    public static int Count(ChatMessage message) => PerMessageOverhead + message.Contents.Sum(content => content switch
    {
        TextContent t => Count(t.Text),
        TextReasoningContent r => Count(r.Text),
        FunctionCallContent c => Count(c.Name) + Count(JsonSerializer.Serialize(c.Arguments, AIJsonUtilities.DefaultOptions)),
        FunctionResultContent r => Count(r.Result?.ToString()),
        _ => 0,
    });
}
