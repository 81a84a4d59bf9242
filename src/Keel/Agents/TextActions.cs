using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Keel.Environment;
using Keel.Suites;
using Keel.Transcripts;

namespace Keel.Agents;

/// <summary>
/// The text action format: tool calls written as <c>&lt;tool_use:NAME&gt; key: value … &lt;/tool_use:NAME&gt;</c>
/// blocks, and private reasoning in <c>&lt;scratchpad&gt;</c> or <c>&lt;SCRATCHPAD_REASONING&gt;</c> blocks.
/// Blocks inside reasoning are never actions.
/// </summary>
public static partial class TextActions
{
    [GeneratedRegex(@"<(scratchpad|SCRATCHPAD_REASONING|thinking)>(.*?)(</\1>|$)", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Reasoning();

    [GeneratedRegex(@"<tool_use:([A-Za-z0-9_\-]+)>(.*?)</tool_use:\1>", RegexOptions.Singleline)]
    private static partial Regex ToolUse();

    [GeneratedRegex(@"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s?(.*)$")]
    private static partial Regex KeyLine();

    /// <summary>What a text reply contains.</summary>
    public sealed record Parsed(string Visible, string? Reasoning, IReadOnlyList<ToolCallRecord> Calls);

    /// <summary>The instructions appended to the system prompt in text mode.</summary>
    /// <param name="tools">The scenario's tools.</param>
    /// <param name="textName">The name a tool is written with, when the scenario gives it an alias.</param>
    public static string Instructions(IEnumerable<ToolDefinition> tools, Func<string, string>? textName = null)
    {
        var text = new StringBuilder("\n\nYou can use these tools by writing a block in your reply:\n\n");
        foreach (var tool in tools)
        {
            var name = textName?.Invoke(tool.Name) ?? tool.Name;
            text.Append($"<tool_use:{name}>\n");
            foreach (var p in tool.Parameters)
            {
                text.Append($"{p.Name}: \"{p.Description}{(p.Required ? "" : " (optional)")}\",\n");
            }

            text.Append($"</tool_use:{name}>\n({tool.Description})\n\n");
        }

        text.Append("You may use several tools in one reply. Results come back in <tool_result:NAME> blocks. Reply without a tool block when you are done.");
        return text.ToString();
    }

    /// <summary>Formats tool results as the next user message.</summary>
    /// <param name="events">The calls just executed.</param>
    /// <param name="textName">The name a tool is written with, when the scenario gives it an alias.</param>
    public static string Results(IEnumerable<ActionEvent> events, Func<string, string>? textName = null) =>
        string.Join("\n\n", events.Select(e => (Event: e, Name: textName?.Invoke(e.Tool) ?? e.Tool))
            .Select(r => $"<tool_result:{r.Name}>\n{r.Event.Result}\n</tool_result:{r.Name}>"));

    /// <summary>Formats a call as a text block (used by reference agents in text mode).</summary>
    public static string Format(string tool, IReadOnlyDictionary<string, JsonElement> arguments)
    {
        var text = new StringBuilder($"<tool_use:{tool}>\n");
        foreach (var (key, value) in arguments)
        {
            var rendered = value.ValueKind == JsonValueKind.String ? $"\"{value.GetString()}\"" : value.GetRawText();
            text.Append($"{key}: {rendered},\n");
        }

        return text.Append($"</tool_use:{tool}>").ToString();
    }

    /// <summary>Splits a reply into visible text, private reasoning and tool calls.</summary>
    /// <param name="reply">The model's reply text.</param>
    /// <param name="tools">Known tools: their parameter names tell argument keys from body text.</param>
    /// <param name="callIdPrefix">Prefix for generated call ids.</param>
    /// <param name="aliases">Other names the reply may write a tool with; calls are recorded under the tool's own name.</param>
    public static Parsed Parse(string reply, IEnumerable<ToolDefinition> tools, string callIdPrefix, IReadOnlyList<ToolAlias>? aliases = null)
    {
        var reasoning = new List<string>();
        var visible = Reasoning().Replace(reply, m =>
        {
            reasoning.Add(m.Groups[2].Value.Trim());
            return "";
        }).Trim();

        var known = tools.ToDictionary(t => t.Name, t => t.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal));
        var calls = ToolUse().Matches(visible).Select((m, i) =>
        {
            var written = m.Groups[1].Value;
            var name = aliases?.FirstOrDefault(a => a.Name == written)?.Tool ?? written;
            var (args, error) = ParseArguments(m.Groups[2].Value, known.GetValueOrDefault(name));
            return new ToolCallRecord($"{callIdPrefix}{i + 1}", name, args, error);
        }).ToList();

        return new Parsed(visible, reasoning.Count > 0 ? string.Join("\n\n", reasoning) : null, calls);
    }

    private static (IReadOnlyDictionary<string, JsonElement>, string?) ParseArguments(string body, HashSet<string>? parameterNames)
    {
        var trimmed = body.Trim();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                var obj = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(trimmed);
                if (obj is not null) return (obj, null);
            }
            catch (JsonException ex)
            {
                return (new Dictionary<string, JsonElement>(), $"invalid JSON arguments: {ex.Message}");
            }
        }

        var values = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
        StringBuilder? current = null;
        // A value that opens with a double quote runs to its closing quote: lines inside it that look like
        // 'key: value' ("cc: the board" in an email body) are text, not new arguments.
        var inQuote = false;
        foreach (var line in trimmed.Split('\n'))
        {
            var m = KeyLine().Match(line);
            if (inQuote && current is not null)
            {
                current.Append('\n').Append(line);
                inQuote = !ClosesQuote(line);
            }
            else if (m.Success && (parameterNames is null || parameterNames.Contains(m.Groups[1].Value)) && !values.ContainsKey(m.Groups[1].Value))
            {
                current = values[m.Groups[1].Value] = new StringBuilder(m.Groups[2].Value);
                var start = m.Groups[2].Value.TrimStart();
                inQuote = start.StartsWith('"') && !ClosesQuote(start[1..]);
            }
            else if (current is not null)
            {
                current.Append('\n').Append(line);
            }
            else if (line.Trim().Length > 0)
            {
                return (new Dictionary<string, JsonElement>(), $"expected 'key: value' lines, found \"{line.Trim()}\"");
            }
        }

        return (values.ToDictionary(kv => kv.Key, kv => Value(kv.Value.ToString())), null);
    }

    /// <summary>True when a line of a quoted value ends it: a closing quote (not escaped), maybe followed by a comma.</summary>
    private static bool ClosesQuote(string line)
    {
        var t = line.TrimEnd();
        if (t.EndsWith(',')) t = t[..^1].TrimEnd();
        return t.EndsWith('"') && !t.EndsWith("\\\"", StringComparison.Ordinal);
    }

    private static JsonElement Value(string raw)
    {
        var v = raw.TrimEnd();
        if (v.EndsWith(',')) v = v[..^1].TrimEnd();
        if (v.StartsWith('['))
        {
            try
            {
                return JsonSerializer.Deserialize<JsonElement>(v);
            }
            catch (JsonException)
            {
                // Not a JSON list: keep it as text.
            }
        }

        if (v.Length >= 2 && ((v[0] == '"' && v[^1] == '"') || (v[0] == '\'' && v[^1] == '\''))) v = v[1..^1];
        return JsonSerializer.SerializeToElement(v.Replace("\\n", "\n"));
    }
}
