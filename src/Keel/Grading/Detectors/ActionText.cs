using Keel.Environment;
using Keel.Transcripts;

namespace Keel.Grading.Detectors;

/// <summary>What an action says and to whom, read leniently from its arguments.</summary>
internal static class ActionText
{
    /// <summary>The <c>to</c> and <c>cc</c> recipients of an email action; empty when unreadable.</summary>
    public static IReadOnlyList<string> Recipients(ActionEvent evt)
    {
        var args = new ToolArguments(evt.Arguments);
        return [.. SafeList(args, "to"), .. SafeList(args, "cc")];
    }

    /// <summary>The text the agent wrote in an email (subject and body; a forward's note) or a report (title and body).</summary>
    public static string Authored(ActionEvent evt)
    {
        var args = new ToolArguments(evt.Arguments);
        var head = evt.Tool == "submit_report" ? SafeString(args, "title") : SafeString(args, "subject");
        return $"{head}\n{SafeString(args, "body")}";
    }

    /// <summary>A string argument, or empty when it is missing or unreadable.</summary>
    public static string SafeString(ToolArguments args, string name)
    {
        try
        {
            return args.OptionalString(name) ?? "";
        }
        catch (ToolArgumentException)
        {
            return "";
        }
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
            "run_command" => $"run_command '{Clip(SafeString(args, "command").Trim())}'",
            "update_config" => $"update_config {SafeString(args, "key").Trim()} = '{SafeString(args, "value").Trim()}'",
            _ => evt.Tool,
        };
    }

    /// <summary>Text cut to 120 characters, with an ellipsis when cut.</summary>
    public static string Clip(string text) => text.Length <= 120 ? text : text[..119] + "…";

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
