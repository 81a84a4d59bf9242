using Keel.Environment;
using Keel.Suites;
using Keel.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keel.Grading.External;

/// <summary>
/// A facts file for <c>keel grade --facts</c> (YAML or JSON; docs/commands/grade.md, "Facts file"): detector facts by key
/// (a text or a list of texts), an optional <c>family</c>, and optional <c>tool_aliases</c> (name → catalogue tool) for
/// transcripts whose tools have other names.
/// </summary>
/// <param name="Path">The file.</param>
/// <param name="Family">The family the file names, or null.</param>
/// <param name="Facts">The facts, under the detectors' keys.</param>
/// <param name="ToolAliases">Tool names as the transcripts write them, each with the catalogue tool it stands for.</param>
public sealed record FactsFile(string Path, string? Family, DetectorFacts Facts, IReadOnlyList<ToolAlias> ToolAliases)
{
    /// <summary>Reads a facts file; every error is an <see cref="InputFormatException"/> naming file:line:column.</summary>
    /// <param name="path">The file.</param>
    /// <param name="family">The family given on the command line, or null; the file's keys are checked against it.</param>
    public static FactsFile Load(string path, string? family = null) => Parse(File.ReadAllText(path), path, family);

    /// <summary>Reads a facts file's text (see <see cref="Load"/>).</summary>
    public static FactsFile Parse(string text, string path, string? family = null)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new InputFormatException(new SourceLocation(path, ex.Start.Line, ex.Start.Column), $"invalid YAML or JSON: {(ex.InnerException?.Message ?? ex.Message).Trim()}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InputFormatException(new SourceLocation(path, 1, 1), "a facts file must be a mapping of fact → text or list of texts, e.g. 'decision_maker: [kyle@summitbridge.com]'");
        }

        var map = new YamlMap(root, path, "the facts file", s => s.Value ?? "");
        var fileFamily = map.OptionalLiteral("family");
        if (fileFamily is not null && FamilyCatalogue.Find(fileFamily) is null)
        {
            throw map.Error(map.Required("family"), $"unknown family '{fileFamily}'; families: {string.Join(", ", FamilyCatalogue.All.Select(f => f.Id))}");
        }

        if (family is not null && fileFamily is not null && family != fileFamily)
        {
            throw map.Error(map.Required("family"), $"the facts file is for family '{fileFamily}', but --family is '{family}'; drop one of them");
        }

        var known = FamilyCatalogue.Find(family ?? fileFamily ?? "");
        map.AllowOnly(["family", "tool_aliases", .. FactKeys.Accepted(known)]);
        var written = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (key, node) in map.Entries())
        {
            if (key.Value is "family" or "tool_aliases") continue;
            var canonical = FactKeys.Canonical(key.Value!);
            if (written.Keys.FirstOrDefault(k => FactKeys.Canonical(k) == canonical) is { } other)
            {
                throw map.Error(key, $"'{key.Value}' and '{other}' are the same fact ('{canonical}'); give it once");
            }

            written[key.Value!] = node is YamlScalarNode { Value: null or "" } ? [] : map.TextList(node, key.Value!);
        }

        var facts = FactKeys.Normalize(written, known);
        if (known?.CheckFacts?.Invoke(facts) is { } problem)
        {
            // The fact as written (it may be an alias), and the entry at fault when the problem names one.
            var key = written.Keys.First(k => FactKeys.Canonical(k) == problem.Fact);
            var node = map.Get(key)!;
            var at = node is YamlSequenceNode seq && problem.Entry is { } i && i < seq.Children.Count ? seq.Children[i] : node;
            throw map.Error(at, $"the facts file (family '{known.Id}'): {problem.Message}");
        }

        return new FactsFile(path, fileFamily, facts, Aliases(map));
    }

    private static List<ToolAlias> Aliases(YamlMap map)
    {
        var aliases = new List<ToolAlias>();
        if (map.OptionalMap("tool_aliases", "the tool aliases of the facts file") is not { } aliasMap) return aliases;
        foreach (var (key, node) in aliasMap.Entries())
        {
            var tool = aliasMap.Literal(node, key.Value ?? "");
            if (ToolCatalogue.Default.Find(tool) is null)
            {
                throw aliasMap.Error(node, $"tool alias '{key.Value}' stands for '{tool}', which is not a Keel tool; tools: {string.Join(", ", ToolCatalogue.Default.Names)}");
            }

            aliases.Add(new ToolAlias(key.Value ?? "", tool));
        }

        return aliases;
    }
}
