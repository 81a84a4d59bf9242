using Keel.Yaml;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Keel.Suites;

/// <summary>
/// <c>{{name}}</c> and <c>{{name.part}}</c> substitution for one condition. A variable value may itself hold
/// placeholders of other variables; they are filled in for the same condition. Any placeholder that is not a
/// declared variable, or any brace pair left after rendering, is a suite error.
/// </summary>
internal sealed partial class Placeholders(string file, IReadOnlyDictionary<string, VariableValue> values, string conditionId)
{
    /// <summary>How deep values may refer to other values; the loader rejects cycles, so this is only a backstop.</summary>
    private const int MaxDepth = 32;

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)(?:\.([A-Za-z_][A-Za-z0-9_-]*))?\s*\}\}")]
    private static partial Regex Pattern();

    /// <summary>Variable names referenced in a text.</summary>
    public static IEnumerable<string> NamesIn(string text) =>
        Pattern().Matches(text).Select(m => m.Groups[1].Value);

    /// <summary>The placeholders in a text: variable name and part ("" for a plain value).</summary>
    public static IEnumerable<(string Name, string Part)> ReferencesIn(string text) =>
        Pattern().Matches(text).Select(m => (m.Groups[1].Value, m.Groups[2].Success ? m.Groups[2].Value : ""));

    /// <summary>The text with every well-formed placeholder removed: any brace left in it is a stray one.</summary>
    public static string WithoutPlaceholders(string text) => Pattern().Replace(text, "");

    /// <summary>Renders a scalar for this condition.</summary>
    public string Render(YamlScalarNode node)
    {
        var text = node.Value ?? "";
        if (!text.Contains("{{") && !text.Contains("}}")) return text;
        var at = YamlMap.Location(file, node);
        var rendered = Expand(text, at, 0);

        if (rendered.Contains("{{") || rendered.Contains("}}"))
        {
            var start = rendered.IndexOf("{{", StringComparison.Ordinal) is var i and >= 0 ? i : rendered.IndexOf("}}", StringComparison.Ordinal);
            var snippet = rendered.Substring(Math.Max(0, start), Math.Min(40, rendered.Length - Math.Max(0, start)));
            throw new InputFormatException(at, $"a placeholder is left after rendering condition '{conditionId}': \"{snippet}\"; write placeholders as {{{{name}}}} or {{{{name.part}}}} with a declared variable, and keep stray braces out of variable values");
        }

        return rendered;
    }

    private string Expand(string text, SourceLocation at, int depth) => Pattern().Replace(text, m =>
    {
        var name = m.Groups[1].Value;
        var part = m.Groups[2].Success ? m.Groups[2].Value : "";
        if (!values.TryGetValue(name, out var value))
        {
            throw new InputFormatException(at, $"undefined variable '{name}' in '{m.Value}'; declare it under 'variables:' or remove the placeholder");
        }

        if (!value.Parts.TryGetValue(part, out var partText))
        {
            var wanted = part.Length == 0 ? $"'{{{{{name}}}}}' needs a plain text value" : $"has no part '{part}'";
            var has = string.Join(", ", value.Parts.Keys.Select(k => k.Length == 0 ? "(plain text)" : k));
            throw new InputFormatException(at, $"variable '{name}' value '{value.Label}' {wanted} (it has: {has}); give every value of '{name}' the same parts");
        }

        if (!partText.Contains("{{")) return partText;
        if (depth >= MaxDepth) throw new InputFormatException(at, $"variable values refer to each other more than {MaxDepth} levels deep in condition '{conditionId}'");
        return Expand(partText, at, depth + 1);
    });
}
