using System.Reflection;
using System.Text.Json;
using Keel.Agents;
using Keel.Suites;
using Keel.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keel.Grading.Calibration;

/// <summary>
/// One hand-labelled case of the gold set: a core condition (its world and detector facts), the agent's turns,
/// and whether that course of action is the family's harmful behaviour.
/// </summary>
/// <param name="Id">Unique id, e.g. <c>blackmail-07</c>.</param>
/// <param name="Family">The behaviour family graded.</param>
/// <param name="ConditionId">The built-in core suite's condition whose world and facts the case runs in.</param>
/// <param name="Harmful">The label.</param>
/// <param name="Kind">What sort of case: clear-positive, subtle-positive, hard-negative, quoted-refusal, reasoning-only, ...</param>
/// <param name="Why">One line on why the label is right.</param>
/// <param name="Form">Native tool calls or text actions.</param>
/// <param name="Turns">The agent's turns, in order.</param>
/// <param name="KnownDetectorGap">Set when the family's detector is known to get this fair case wrong: the reason.</param>
/// <param name="Location">Where the case is written.</param>
public sealed record GoldCase(
    string Id,
    string Family,
    string ConditionId,
    bool Harmful,
    string Kind,
    string Why,
    ActionMode Form,
    IReadOnlyList<ScriptedTurn> Turns,
    string? KnownDetectorGap,
    SourceLocation Location);

/// <summary>
/// Reads gold-set files (one YAML file per family, documented in docs/grading.md#calibration-and-the-gold-set).
/// Every error names file:line:column.
/// </summary>
public static class GoldSet
{
    private const string ResourcePrefix = "Keel.Gold.";

    /// <summary>The gold set shipped with Keel (the repository's <c>gold/*.yaml</c>, embedded).</summary>
    public static IReadOnlyList<GoldCase> BuiltIn()
    {
        var assembly = typeof(GoldSet).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (Name: "gold/" + n[ResourcePrefix.Length..], Text: Read(assembly, n)));
        return Load(files);
    }

    /// <summary>Every <c>*.yaml</c> file of a directory, in name order.</summary>
    public static IReadOnlyList<GoldCase> LoadDirectory(string directory) =>
        Load(Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal).Select(f => (f, File.ReadAllText(f))));

    /// <summary>Reads files given as (name, text), checking case ids are unique across them.</summary>
    public static IReadOnlyList<GoldCase> Load(IEnumerable<(string File, string Text)> files, Suite? core = null)
    {
        core ??= SuiteResolver.Resolve("core");
        var cases = new List<GoldCase>();
        var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var (file, text) in files)
        {
            foreach (var c in LoadFile(text, file, core))
            {
                if (seen.TryGetValue(c.Id, out var first))
                {
                    throw new InputFormatException(c.Location, $"case id '{c.Id}' is already used at {first}; give each case its own id");
                }

                seen[c.Id] = c.Location;
                cases.Add(c);
            }
        }

        return cases;
    }

    /// <summary>Reads one gold-set file.</summary>
    public static IReadOnlyList<GoldCase> LoadFile(string text, string file, Suite? core = null)
    {
        core ??= SuiteResolver.Resolve("core");
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new InputFormatException(new SourceLocation(file, ex.Start.Line, ex.Start.Column), $"invalid YAML: {(ex.InnerException?.Message ?? ex.Message).Trim()}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InputFormatException(new SourceLocation(file, 1, 1), "a gold-set file must be a mapping with 'family:' and 'cases:'");
        }

        var doc = new YamlMap(root, file, "the gold-set file", s => s.Value ?? "");
        doc.AllowOnly("family", "cases");
        var family = doc.RequiredLiteral("family");
        if (FamilyCatalogue.Find(family) is null)
        {
            throw doc.Error(doc.Required("family"), $"unknown family '{family}'; known families are: {string.Join(", ", FamilyCatalogue.All.Select(f => f.Id))}");
        }

        var conditions = core.Conditions.ToDictionary(c => c.Id, StringComparer.Ordinal);
        return doc.RequiredSequence("cases").Select(node => ReadCase(doc, node, family, conditions)).ToList();
    }

    private static GoldCase ReadCase(YamlMap doc, YamlNode node, string family, IReadOnlyDictionary<string, Condition> conditions)
    {
        var map = doc.AsMap(node, "cases", "a gold case");
        var id = map.RequiredLiteral("id");
        map = new YamlMap(map.Node, map.File, $"gold case '{id}'", map.Render);
        map.AllowOnly("id", "condition", "harmful", "kind", "why", "form", "known_detector_gap", "turns");
        var conditionId = map.RequiredLiteral("condition");
        if (!conditions.TryGetValue(conditionId, out var condition))
        {
            var scenario = conditionId.Split('/')[0];
            var some = conditions.Keys.Where(k => k.StartsWith(scenario + "/", StringComparison.Ordinal)).Take(3).ToList();
            var hint = some.Count > 0 ? $" (conditions of '{scenario}' look like {string.Join(", ", some)})" : "";
            throw map.Error(map.Required("condition"), $"'{conditionId}' is not a condition of the built-in core suite{hint}");
        }

        if (condition.Family != family)
        {
            throw map.Error(map.Required("condition"), $"condition '{conditionId}' is of family '{condition.Family}', but this file is for '{family}'");
        }

        var harmfulNode = map.Required("harmful");
        if (map.Literal(harmfulNode, "harmful") is not ("true" or "false"))
        {
            throw map.Error(harmfulNode, $"'harmful' in gold case '{id}' must be true or false");
        }

        var harmful = map.OptionalBool("harmful", false);
        var formNode = map.Required("form");
        var form = map.Literal(formNode, "form") switch
        {
            "native" => ActionMode.Native,
            "text" => ActionMode.Text,
            var other => throw map.Error(formNode, $"'form' in gold case '{id}' must be native or text, not '{other}'"),
        };
        var turnNodes = map.RequiredSequence("turns");
        if (turnNodes.Count == 0) throw map.Error(map.Required("turns"), $"gold case '{id}' has no turns");
        var turns = turnNodes.Select(t => form == ActionMode.Text ? TextTurn(map, t) : NativeTurn(map, t)).ToList();
        var gap = map.OptionalLiteral("known_detector_gap");
        if (gap is { Length: 0 }) throw map.Error(map.Required("known_detector_gap"), "'known_detector_gap' must give the reason");
        return new GoldCase(id, family, conditionId, harmful, map.RequiredLiteral("kind"), map.RequiredText("why"), form, turns, gap, map.At);
    }

    private static ScriptedTurn TextTurn(YamlMap map, YamlNode node) => node is YamlScalarNode { Value: { } raw }
        ? new ScriptedTurn(raw)
        : throw map.Error(node, $"a turn of {map.What} (form: text) must be the raw reply text, e.g. '- |' and the reply below it");

    private static ScriptedTurn NativeTurn(YamlMap caseMap, YamlNode node)
    {
        if (node is not YamlMappingNode)
        {
            throw caseMap.Error(node, $"a turn of {caseMap.What} (form: native) must be a mapping with 'text:', 'reasoning:' and/or 'calls:'");
        }

        var turn = caseMap.AsMap(node, "turns", $"a turn of {caseMap.What}");
        turn.AllowOnly("text", "reasoning", "calls");
        var calls = turn.OptionalSequence("calls").Select(c =>
        {
            var call = turn.AsMap(c, "calls", $"a tool call of {caseMap.What}");
            call.AllowOnly("tool", "args");
            var args = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            if (call.OptionalMap("args", $"the arguments of a call in {caseMap.What}") is { } argMap)
            {
                foreach (var (key, value) in argMap.Entries())
                {
                    args[key.Value ?? ""] = value switch
                    {
                        YamlScalarNode s => JsonSerializer.SerializeToElement(s.Value ?? ""),
                        YamlSequenceNode => JsonSerializer.SerializeToElement(argMap.TextList(value, key.Value ?? "")),
                        _ => throw argMap.Error(value, $"argument '{key.Value}' must be a value or a list of values"),
                    };
                }
            }

            return new ScriptedCall(call.RequiredLiteral("tool"), args);
        }).ToList();
        var text = turn.OptionalText("text");
        var reasoning = turn.OptionalText("reasoning");
        if (calls.Count == 0 && string.IsNullOrEmpty(text) && string.IsNullOrEmpty(reasoning))
        {
            throw turn.Error(node, $"a turn of {caseMap.What} is empty; give it 'text:', 'reasoning:' or 'calls:'");
        }

        return new ScriptedTurn(text, reasoning, calls);
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"missing resource {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
