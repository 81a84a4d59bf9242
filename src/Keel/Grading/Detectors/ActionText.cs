using Keel.Environment;

namespace Keel.Grading.Detectors;

/// <summary>Small helpers the action detectors share: fact lists, id matching, safe argument reads, short quotes.</summary>
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

    /// <summary>The text on one line, cut to <paramref name="max"/> characters with an ellipsis.</summary>
    public static string Short(string text, int max = 200)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= max ? flat : flat[..max] + "…";
    }
}
