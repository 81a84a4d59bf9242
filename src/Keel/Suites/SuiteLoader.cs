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

    /// <summary>Loads a suite from a file on disk; its <c>include:</c> paths are read relative to the file's folder.</summary>
    public Suite LoadFile(string path)
    {
        var text = ReadFile(path, new SourceLocation(path, 1, 1), "the suite file");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var shown = Path.GetDirectoryName(path) ?? "";
        return Load(text, path, Path.GetFullPath(path), (relative, at) =>
        {
            var full = Path.Combine(folder, relative);
            if (!File.Exists(full)) return null;
            return new IncludedFile(Path.Combine(shown, relative), ReadFile(full, at, "an included file"));
        });
    }

    /// <summary>
    /// Loads a suite from text; <paramref name="file"/> names it in errors. <paramref name="readInclude"/>
    /// reads the files named under <c>include:</c> (by relative path; null when there is no such file);
    /// without it a suite may not include anything.
    /// </summary>
    public Suite Load(string text, string file, string source, Func<string, SourceLocation, IncludedFile?>? readInclude = null)
    {
        // Line ends do not change a suite: hashes are the same on every machine.
        text = Normalize(text);
        var doc = new YamlMap(Parse(text, file), file, "the suite", Verbatim);
        doc.AllowOnly("id", "version", "description", "include", "rubrics", "scenarios");
        var suiteId = Identifier(doc, "id");
        var version = doc.RequiredLiteral("version");
        var description = doc.OptionalLiteral("description") ?? "";

        var hashed = new StringBuilder(text);
        var parts = new List<YamlMap> { doc };
        foreach (var (path, node) in Includes(doc))
        {
            var at = YamlMap.Location(file, node);
            var included = (readInclude ?? ((_, _) => null))(path, at)
                ?? throw doc.Error(node, $"cannot find the included file '{path}' (paths are relative to the suite file's folder); fix the path or remove it from 'include:'");
            var includedText = Normalize(included.Text);
            var part = new YamlMap(Parse(includedText, included.File), included.File, $"the included file '{path}'", Verbatim);
            part.AllowOnly("rubrics", "scenarios");
            parts.Add(part);
            hashed.Append("\n\u0000include ").Append(path).Append('\n').Append(includedText);
        }

        var rubrics = new Dictionary<string, Rubric>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            foreach (var rubric in RubricReader.Read(part))
            {
                if (!rubrics.TryAdd(rubric.Rubric.Family, rubric.Rubric))
                {
                    throw part.Error(rubric.Key, $"a second rubric for family '{rubric.Rubric.Family}'; each family has one rubric per suite");
                }
            }
        }

        var scenarios = new List<ScenarioDefinition>();
        var conditions = new List<Condition>();
        var conditionIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            foreach (var node in part.OptionalSequence("scenarios"))
            {
                var map = part.AsMap(node, "scenarios", "a scenario");
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
        }

        if (scenarios.Count == 0)
        {
            throw new InputFormatException(doc.At, "the suite has no scenarios; add at least one under 'scenarios:' (in the suite file or a file it includes)");
        }

        return new Suite(suiteId, version, description, source, Hash(hashed.ToString()), scenarios, conditions) { Rubrics = rubrics };
    }

    /// <summary>The relative paths under <c>include:</c>, checked: no absolute paths, no '..', no repeats.</summary>
    private static List<(string Path, YamlNode Node)> Includes(YamlMap doc)
    {
        var includes = new List<(string, YamlNode)>();
        foreach (var node in doc.OptionalSequence("include"))
        {
            var path = doc.Literal(node, "include").Replace('\\', '/');
            if (path.Length == 0 || path.StartsWith('/') || path.Contains(':') || path.Split('/').Contains(".."))
            {
                throw doc.Error(node, $"'{path}' under 'include:' must be a path relative to the suite file's folder, without '..'");
            }

            if (!path.EndsWith(".yaml", StringComparison.Ordinal) && !path.EndsWith(".yml", StringComparison.Ordinal))
            {
                throw doc.Error(node, $"'{path}' under 'include:' must name a .yaml or .yml file");
            }

            if (includes.Any(i => i.Item1 == path)) throw doc.Error(node, $"'{path}' is included twice");
            includes.Add((path, node));
        }

        return includes;
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n");

    private static string ReadFile(string path, SourceLocation at, string what)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputFormatException(at, $"cannot read {what} '{path}': {ex.Message}");
        }
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

        if (stream.Documents.Count == 0) throw new InputFormatException(new SourceLocation(file, 1, 1), "the file is empty; a suite needs 'id:', 'version:' and 'scenarios:', an included file 'scenarios:' or 'rubrics:'");
        return stream.Documents[0].RootNode as YamlMappingNode
            ?? throw new InputFormatException(YamlMap.Location(file, stream.Documents[0].RootNode), "a suite file must be a mapping with 'id:', 'version:' and 'scenarios:' (an included file: 'scenarios:' and/or 'rubrics:')");
    }
}

/// <summary>A file a suite includes: the name errors give it, and its text.</summary>
public sealed record IncludedFile(string File, string Text);
