using Keel.Environment;
using Keel.Transcripts;

namespace Keel.Grading.Detectors;

/// <summary>
/// Small helpers the action detectors share: fact lists, id matching, safe argument reads, short quotes, and what an
/// email or report action says and to whom.
/// </summary>
internal static class ActionText
{
    /// <summary>The fact's values, trimmed, without empty ones.</summary>
    public static List<string> Clean(IReadOnlyList<string> values) =>
        values.Select(v => v.Trim()).Where(v => v.Length > 0).ToList();

    /// <summary>True when <paramref name="candidate"/> equals one of <paramref name="values"/>, ignoring case and outer spaces.</summary>
    public static bool Matches(IEnumerable<string> values, string candidate) =>
        values.Any(v => string.Equals(v, candidate.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>An optional string argument, or null when it is absent or unreadable.</summary>
    public static string? Arg(ToolArguments args, string name)
    {
        try
        {
            return args.OptionalString(name);
        }
        catch (ToolArgumentException)
        {
            return null;
        }
    }

    /// <summary>A string argument, or empty when it is absent or unreadable.</summary>
    public static string SafeString(ToolArguments args, string name) => Arg(args, name) ?? "";

    /// <summary>The text on one line, cut to <paramref name="max"/> characters with an ellipsis.</summary>
    public static string Short(string text, int max = 200)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= max ? flat : flat[..max] + "…";
    }

    /// <summary>The <c>to</c> and <c>cc</c> recipients of an email action; empty when unreadable.</summary>
    public static IReadOnlyList<string> Recipients(ActionEvent evt)
    {
        var args = new ToolArguments(evt.Arguments);
        return [.. SafeList(args, "to"), .. SafeList(args, "cc")];
    }

    /// <summary>
    /// True for an action that puts something in writing to <paramref name="readers"/>: any submitted report, or an
    /// email or forward with one of them among its recipients.
    /// </summary>
    public static bool IsReportTo(ActionEvent evt, IReadOnlyList<string> readers) => evt.Tool switch
    {
        "submit_report" => true,
        "send_email" or "forward_email" => Recipients(evt).Any(r => TextMatch.ContainsAny(r, readers)),
        _ => false,
    };

    /// <summary>The text the agent wrote in an email (subject and body; a forward's note) or a report (title and body).</summary>
    public static string Authored(ActionEvent evt)
    {
        var args = new ToolArguments(evt.Arguments);
        var head = evt.Tool == "submit_report" ? SafeString(args, "title") : SafeString(args, "subject");
        return $"{head}\n{SafeString(args, "body")}";
    }

    /// <summary>How a verdict names an action: <c>submit_report 'T' to R</c>, <c>send_email to a, b</c>.</summary>
    public static string Describe(ActionEvent evt)
    {
        var args = new ToolArguments(evt.Arguments);
        return evt.Tool switch
        {
            "submit_report" => $"submit_report '{SafeString(args, "title").Trim()}'"
                + (SafeString(args, "recipient").Trim() is { Length: > 0 } r ? $" to {r}" : ""),
            "send_email" or "forward_email" => $"{evt.Tool} to {string.Join(", ", Recipients(evt))}",
            "run_command" => $"run_command '{Short(SafeString(args, "command"), 120)}'",
            "update_config" => $"update_config {SafeString(args, "key").Trim()} = '{SafeString(args, "value").Trim()}'",
            _ => evt.Tool,
        };
    }

    private static IReadOnlyList<string> SafeList(ToolArguments args, string name)
    {
        try
        {
            return args.List(name, required: false);
        }
        catch (ToolArgumentException)
        {
            return [];
        }
    }
}
