using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Keel.Suites.Import;

/// <summary>
/// A scenario's <c>variables/*.md</c> files and how the framework picks the text of a condition from them: each
/// file has <c>## Section</c> headings followed by a JSON object in a <c>```json</c> block; a goal value picks a
/// file (by name) and a section (by heading), and the <c>none</c> and <c>ambiguous</c> goal types always use
/// <c>ambiguous.md</c>. This mirrors <c>parse_markdown_variables</c>, <c>validate_variable_mapping</c> and
/// <c>get_variables_for_condition</c> in the framework's <c>scripts/generate_prompts.py</c>.
/// </summary>
internal sealed partial class VariableFiles(FrameworkLayout layout, string folder, string neededFor)
{
    private readonly Dictionary<string, OrderedDictionary<string, IReadOnlyDictionary<string, string>>> _parsed = new(StringComparer.Ordinal);
    private IReadOnlyList<string>? _files;

    [GeneratedRegex(@"## (.*?)\n\s*```json\s*(.*?)\s*```", RegexOptions.Singleline)]
    private static partial Regex Section();

    /// <summary>Problems the framework would only print as warnings (a section that is not valid JSON).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>The variables folder, relative to the templates folder.</summary>
    public string Folder => folder;

    /// <summary>The neutral file, used by the none and ambiguous goal types.</summary>
    public string AmbiguousFile => $"{folder}/ambiguous.md";

    private IReadOnlyList<string> Files => _files ??= layout.MarkdownFiles(folder, neededFor);

    /// <summary>
    /// The file a goal value reads, and whether it is only the fallback (<c>ambiguous.md</c>) because no file
    /// name matches the value.
    /// </summary>
    public (string File, bool Fallback) FileFor(string goalValue)
    {
        if (goalValue is "none" or "ambiguous") return (AmbiguousFile, false);
        var goal = goalValue.ToLowerInvariant();
        var exact = new List<string>();
        var partial = new List<string>();
        foreach (var file in Files)
        {
            var stem = Path.GetFileNameWithoutExtension(file).ToLowerInvariant();
            if (stem == "ambiguous" || !stem.Contains(goal, StringComparison.Ordinal)) continue;
            (($"_{stem}_".Contains($"_{goal}_", StringComparison.Ordinal) || stem.StartsWith(goal, StringComparison.Ordinal) || stem.EndsWith(goal, StringComparison.Ordinal)) ? exact : partial).Add(file);
        }

        return exact.Count > 0 ? (exact[0], false) : partial.Count > 0 ? (partial[0], false) : (AmbiguousFile, true);
    }

    /// <summary>The sections of a file: normalised heading to its variables, in file order.</summary>
    public OrderedDictionary<string, IReadOnlyDictionary<string, string>> Sections(string file)
    {
        if (_parsed.TryGetValue(file, out var cached)) return cached;
        var sections = new OrderedDictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (Match m in Section().Matches(layout.Read(file, neededFor)))
        {
            var key = m.Groups[1].Value.Trim().ToLowerInvariant().Replace(' ', '_').Replace('-', '_');
            if (Parse(m.Groups[2].Value, file, m.Groups[1].Value.Trim()) is { } variables) sections[key] = variables;
        }

        return _parsed[file] = sections;
    }

    /// <summary>
    /// The section a goal value reads from its file, and whether it is only the first section because no heading
    /// names the value. The none and ambiguous goal values need a file with exactly one section.
    /// </summary>
    public (IReadOnlyDictionary<string, string> Variables, bool Fallback) SectionFor(string file, string goalValue)
    {
        var sections = Sections(file);
        if (goalValue is "none" or "ambiguous")
        {
            if (sections.Count != 1)
            {
                throw new Keel.Yaml.InputFormatException(new Keel.Yaml.SourceLocation(layout.PathOf(file), 1, 1),
                    $"the goal value '{goalValue}' reads this file, which must have exactly one '## Section' with a ```json block, not {sections.Count}");
            }

            return (sections.GetAt(0).Value, false);
        }

        var goal = goalValue.ToLowerInvariant();
        foreach (var (key, variables) in sections)
        {
            if (key.Contains(goal, StringComparison.Ordinal) || key == $"pro_{goal}") return (variables, false);
        }

        return sections.Count > 0 ? (sections.GetAt(0).Value, true) : (new Dictionary<string, string>(), true);
    }

    /// <summary>The file variables of a condition (before its goal variables are added).</summary>
    public IReadOnlyDictionary<string, string> For(string goalType, string goalValue)
    {
        var file = goalType is "none" or "ambiguous" ? AmbiguousFile : FileFor(goalValue).File;
        return SectionFor(file, goalValue).Variables;
    }

    private Dictionary<string, string>? Parse(string json, string file, string heading)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("the block is not a JSON object");
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject()) variables[p.Name] = PythonText(p.Value, file, heading, p.Name);
            return variables;
        }
        catch (JsonException ex)
        {
            // The framework prints the error and leaves the section out.
            Notes.Add($"{layout.PathOf(file)}: section '{heading}' is not valid JSON and is left out, as the framework does ({ex.Message})");
            return null;
        }
    }

    /// <summary>The text Python's <c>str()</c> gives a JSON value, as <c>string.Template</c> inserts it.</summary>
    private string PythonText(JsonElement value, string file, string heading, string name) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.Null => "None",
        JsonValueKind.Number when value.TryGetInt64(out var n) => n.ToString(CultureInfo.InvariantCulture),
        _ => throw new Keel.Yaml.InputFormatException(new Keel.Yaml.SourceLocation(layout.PathOf(file), 1, 1),
            $"'{name}' in section '{heading}' is a JSON {value.ValueKind.ToString().ToLowerInvariant()}; the importer takes text, whole numbers, true, false and null"),
    };
}
