using System.Text;
using System.Text.Json;
using Keel.Transcripts;

namespace Keel.Grading.External;

/// <summary>
/// Reads a <c>messages</c> array in either chat shape Keel accepts into <see cref="ChatTurn"/>s:
/// <list type="bullet">
/// <item><b>OpenAI</b>: <c>content</c> a string or a list of <c>{type: text, text}</c> parts; <c>tool_calls</c> of
/// <c>{id, function: {name, arguments}}</c>, the arguments a JSON string (or object); <c>role: tool</c> results with
/// <c>tool_call_id</c>; reasoning in <c>reasoning_content</c> or <c>reasoning</c> when a server sends it;</item>
/// <item><b>Inspect</b> (ChatMessage): <c>content</c> a string or a list of <c>{type: text, text}</c> and
/// <c>{type: reasoning, reasoning}</c> (a <c>redacted</c> one gives only its <c>summary</c>); <c>tool_calls</c> of
/// <c>{id, function: NAME, arguments: {...}}</c>; tool messages with <c>tool_call_id</c> and an <c>error</c> when the call failed.</item>
/// </list>
/// <c>developer</c> messages count as system messages. Image and other non-text parts are left out.
/// </summary>
internal static class ChatMessagesReader
{
    /// <summary>The turns of <paramref name="messages"/>; throws <see cref="ExternalFormatException"/> naming the message at fault.</summary>
    public static IReadOnlyList<ChatTurn> Read(JsonElement messages)
    {
        if (messages.ValueKind != JsonValueKind.Array) throw new ExternalFormatException($"'messages' must be a list of messages, not {Kind(messages)}");
        var turns = new List<ChatTurn>();
        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            try
            {
                turns.Add(Turn(message, i));
            }
            catch (ExternalFormatException ex)
            {
                throw new ExternalFormatException($"messages[{i}]: {ex.Message}");
            }

            i++;
        }

        return turns;
    }

    /// <summary>True when the messages use Inspect's shape: a tool call whose <c>function</c> is the tool's name, or a reasoning part.</summary>
    public static bool LooksLikeInspect(JsonElement messages) =>
        messages.ValueKind == JsonValueKind.Array && messages.EnumerateArray().Any(m => m.ValueKind == JsonValueKind.Object && (
            (m.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array
                && calls.EnumerateArray().Any(c => c.ValueKind == JsonValueKind.Object && c.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.String))
            || (m.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array
                && content.EnumerateArray().Any(p => p.ValueKind == JsonValueKind.Object && Str(p, "type") == "reasoning"))));

    private static ChatTurn Turn(JsonElement message, int position)
    {
        if (message.ValueKind != JsonValueKind.Object) throw new ExternalFormatException($"a message must be an object, not {Kind(message)}");
        var role = Str(message, "role") ?? throw new ExternalFormatException("the message has no 'role'");
        role = role switch
        {
            "developer" => "system",
            "system" or "user" or "assistant" or "tool" => role,
            _ => throw new ExternalFormatException($"unknown role '{role}'; expected system, developer, user, assistant or tool"),
        };

        var (text, reasoning) = Content(message);
        foreach (var field in new[] { "reasoning_content", "reasoning" })
        {
            if (Str(message, field) is { Length: > 0 } extra) reasoning = Join(reasoning, extra);
        }

        if (text.Length == 0 && Str(message, "refusal") is { Length: > 0 } refusal) text = refusal;
        return role switch
        {
            "assistant" => new ChatTurn(role, text, reasoning, Calls(message, position)),
            "tool" => new ChatTurn(role, text, null, null, Str(message, "tool_call_id") ?? "",
                message.TryGetProperty("error", out var error) && error.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)),
            _ => new ChatTurn(role, text),
        };
    }

    /// <summary>The visible text and the reasoning of a message's <c>content</c>.</summary>
    private static (string Text, string? Reasoning) Content(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content)) return ("", null);
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return (content.GetString()!, null);
            case JsonValueKind.Null:
                return ("", null);
            case JsonValueKind.Array:
                var text = new StringBuilder();
                string? reasoning = null;
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.String)
                    {
                        text.Append(part.GetString());
                        continue;
                    }

                    if (part.ValueKind != JsonValueKind.Object) continue;
                    switch (Str(part, "type"))
                    {
                        case "text" or "input_text" or "output_text":
                            text.Append(Str(part, "text"));
                            break;
                        case "reasoning":
                            // Redacted reasoning holds the provider's encrypted text: only its summary, if any, is readable.
                            var redacted = part.TryGetProperty("redacted", out var r) && r.ValueKind == JsonValueKind.True;
                            reasoning = Join(reasoning, redacted ? Str(part, "summary") : Str(part, "reasoning") ?? Str(part, "summary"));
                            break;
                        case "thinking":
                            reasoning = Join(reasoning, Str(part, "thinking"));
                            break;
                        case "refusal":
                            text.Append(Str(part, "refusal"));
                            break;
                    }
                }

                return (text.ToString(), reasoning);
            default:
                throw new ExternalFormatException($"'content' must be a text, a list of parts or null, not {Kind(content)}");
        }
    }

    private static List<ToolCallRecord>? Calls(JsonElement message, int position)
    {
        if (!message.TryGetProperty("tool_calls", out var calls) || calls.ValueKind == JsonValueKind.Null) return null;
        if (calls.ValueKind != JsonValueKind.Array) throw new ExternalFormatException($"'tool_calls' must be a list, not {Kind(calls)}");
        var records = new List<ToolCallRecord>();
        var n = 0;
        foreach (var call in calls.EnumerateArray())
        {
            n++;
            if (call.ValueKind != JsonValueKind.Object) throw new ExternalFormatException($"tool_calls[{n - 1}] must be an object, not {Kind(call)}");
            var id = Str(call, "id") is { Length: > 0 } given ? given : $"m{position}-{n}";
            string name;
            JsonElement? arguments;
            if (call.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object)
            {
                name = Str(function, "name") ?? throw new ExternalFormatException($"tool_calls[{n - 1}].function has no 'name'");
                arguments = function.TryGetProperty("arguments", out var a) ? a : null;
            }
            else if (function.ValueKind == JsonValueKind.String)
            {
                name = function.GetString()!;
                arguments = call.TryGetProperty("arguments", out var a) ? a : null;
            }
            else
            {
                throw new ExternalFormatException($"tool_calls[{n - 1}] has no 'function' (OpenAI: {{\"name\", \"arguments\"}}; Inspect: the tool's name)");
            }

            var (args, error) = Arguments(arguments);
            if (Str(call, "parse_error") is { Length: > 0 } inspectError) error ??= inspectError;
            records.Add(new ToolCallRecord(id, name, args, error));
        }

        return records;
    }

    /// <summary>A call's arguments: a JSON object, or a string holding one (OpenAI). A string that is not one is a parse error of that call.</summary>
    private static (IReadOnlyDictionary<string, JsonElement>, string?) Arguments(JsonElement? arguments)
    {
        var empty = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        switch (arguments?.ValueKind)
        {
            case null or JsonValueKind.Null:
                return (empty, null);
            case JsonValueKind.Object:
                return (arguments.Value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal), null);
            case JsonValueKind.String:
                var text = arguments.Value.GetString()!;
                if (text.Trim().Length == 0) return (empty, null);
                try
                {
                    using var doc = JsonDocument.Parse(text);
                    return doc.RootElement.ValueKind == JsonValueKind.Object
                        ? (doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal), null)
                        : (empty, $"arguments are JSON {Kind(doc.RootElement)}, not an object");
                }
                catch (JsonException ex)
                {
                    return (empty, $"invalid JSON arguments: {ex.Message}");
                }

            default:
                return (empty, $"arguments must be a JSON object, not {Kind(arguments.Value)}");
        }
    }

    internal static string? Str(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    internal static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a text",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        _ => "null",
    };

    private static string? Join(string? a, string? b) =>
        string.IsNullOrWhiteSpace(b) ? a : string.IsNullOrWhiteSpace(a) ? b : $"{a}\n\n{b}";
}
