using Keel.Yaml;
using System.Security.Cryptography;
using System.Text;
using Keel.Environment;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keel.Suites;

/// <summary>
/// Loads and validates suite YAML. Every problem is a <see cref="InputFormatException"/> with
/// file:line:column: unknown keys, missing fields, undefined or unused variables, placeholders left
/// after rendering, duplicate ids, unknown tools or families, exemplar calls to tools the scenario lacks.
/// </summary>
public sealed class SuiteLoader(ToolCatalogue catalogue)
{
    private static readonly Func<YamlScalarNode, string> Verbatim = n => n.Value ?? "";

    /// <summary>A loader over the built-in tool catalogue.</summary>
    public static SuiteLoader Default { get; } = new(ToolCatalogue.Default);

    /// <summary>Loads a suite from a file on disk.</summary>
    public Suite LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputFormatException(new SourceLocation(path, 1, 1), $"cannot read the suite file: {ex.Message}");
        }

        return Load(text, path, Path.GetFullPath(path));
    }

    /// <summary>Loads a suite from text; <paramref name="file"/> names it in errors.</summary>
    public Suite Load(string text, string file, string source)
    {
        // Line ends do not change a suite: hashes are the same on every machine.
        text = text.Replace("\r\n", "\n");
        var root = Parse(text, file);
        var doc = new YamlMap(root, file, "the suite", Verbatim);
        doc.AllowOnly("id", "version", "description", "scenarios");
        var suiteId = Identifier(doc, "id");
        var version = doc.RequiredLiteral("version");
        var description = doc.OptionalLiteral("description") ?? "";
        var scenarioNodes = doc.RequiredSequence("scenarios");
        if (scenarioNodes.Count == 0) throw doc.Error(doc.Required("scenarios"), "the suite has no scenarios; add at least one under 'scenarios:'");

        var scenarios = new List<ScenarioDefinition>();
        var conditions = new List<Condition>();
        var conditionIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in scenarioNodes)
        {
            var map = doc.AsMap(node, "scenarios", "a scenario");
            var (definition, expanded) = new ScenarioReader(map, catalogue).Read();
            if (scenarios.Any(s => s.Id == definition.Id))
            {
                throw map.Error(map.Required("id"), $"duplicate scenario id '{definition.Id}'; scenario ids must be unique within a suite");
            }

            foreach (var condition in expanded)
            {
                if (!conditionIds.Add(condition.Id))
                {
                    throw map.Error(map.Required("id"), $"duplicate condition id '{condition.Id}'; give the scenario or its variable values distinct names");
                }
            }

            scenarios.Add(definition);
            conditions.AddRange(expanded);
        }

        return new Suite(suiteId, version, description, source, Hash(text), scenarios, conditions);
    }

    internal static string Identifier(YamlMap map, string key)
    {
        var value = map.RequiredLiteral(key);
        if (value.Length == 0 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw map.Error(map.Required(key), $"'{key}' must be a non-empty name of letters, digits, '-', '_' or '.', not '{value}'");
        }

        return value;
    }

    internal static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static YamlMappingNode Parse(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var inner = ex.InnerException?.Message ?? ex.Message;
            var message = inner.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase)
                ? "duplicate key in a mapping; each key may appear once"
                : $"invalid YAML: {inner.Trim()}";
            throw new InputFormatException(new SourceLocation(file, ex.Start.Line, ex.Start.Column), message);
        }

        if (stream.Documents.Count == 0) throw new InputFormatException(new SourceLocation(file, 1, 1), "the suite file is empty; it needs 'id:', 'version:' and 'scenarios:'");
        return stream.Documents[0].RootNode as YamlMappingNode
            ?? throw new InputFormatException(YamlMap.Location(file, stream.Documents[0].RootNode), "a suite file must be a mapping with 'id:', 'version:' and 'scenarios:'");
    }
}
