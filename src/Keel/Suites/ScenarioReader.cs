using Keel.Yaml;
using System.Text.Json;
using Keel.Environment;
using Keel.Grading;
using YamlDotNet.RepresentationModel;

namespace Keel.Suites;

/// <summary>Reads one scenario mapping: its header, variables and conditions, then renders every condition.</summary>
internal sealed partial class ScenarioReader(YamlMap scenarioMap, ToolCatalogue catalogue)
{
    private static readonly string[] HeaderKeys = ["id", "family", "description", "split", "tools", "variables", "conditions",
        "action_mode", "max_turns", "tool_aliases", "tool_instructions"];
    private static readonly string[] Keys = [.. HeaderKeys, "system_prompt", "kickoff", "reactions", "world", "facts", "exemplars"];

    // Messages name the scenario by its id as soon as it has one.
    private readonly YamlMap map = scenarioMap.Get("id") is YamlScalarNode { Value: { Length: > 0 } named }
        ? new YamlMap(scenarioMap.Node, scenarioMap.File, $"scenario '{named}'", scenarioMap.Render)
        : scenarioMap;

    public (ScenarioDefinition Definition, IReadOnlyList<Condition> Conditions) Read()
    {
        map.AllowOnly(Keys);
        var id = SuiteLoader.Identifier(map, "id");
        var what = $"scenario '{id}'";
        var family = map.RequiredLiteral("family");
        var behaviour = FamilyCatalogue.Find(family)
            ?? throw map.Error(map.Required("family"), $"unknown family '{family}' in {what}; known families: {string.Join(", ", FamilyCatalogue.All.Select(f => f.Id))}");
        var split = map.OptionalLiteral("split") ?? "";
        if (split is not ("" or "train" or "heldout"))
        {
            throw map.Error(map.Required("split"), $"split must be 'train' or 'heldout', not '{split}'");
        }

        var variables = ReadVariables(what);
        CheckVariablesUsed(variables, what);
        var grid = ReadConditions(variables, what);
        var definition = new ScenarioDefinition(id, family, map.OptionalLiteral("description") ?? "", split, variables, ScenarioHash());

        var conditions = grid.Select(labels =>
        {
            var conditionId = string.Join('/', [id, .. variables.Select(v => labels[v.Name])]);
            var values = variables.ToDictionary(v => v.Name, v => v.Values.First(x => x.Label == labels[v.Name]));
            var render = new Placeholders(map.File, values, conditionId);
            var scoped = new YamlMap(map.Node, map.File, what, render.Render);
            var spec = new SpecReader(scoped, catalogue, behaviour).Read();
            return new Condition(conditionId, id, family, split, labels, spec);
        }).ToList();

        return (definition, conditions);
    }

    /// <summary>
    /// A hash of the scenario's content: its node tree written canonically (keys, values and nesting,
    /// not comments or layout), so any change to what the scenario says changes the hash.
    /// </summary>
    private string ScenarioHash()
    {
        var text = new System.Text.StringBuilder();
        Canonical(map.Node, text);
        return SuiteLoader.Hash(text.ToString());
    }

    private static void Canonical(YamlNode node, System.Text.StringBuilder text)
    {
        switch (node)
        {
            case YamlScalarNode s:
                text.Append('"').Append(JsonEncodedText.Encode(s.Value ?? "").Value).Append('"');
                break;
            case YamlSequenceNode seq:
                text.Append('[');
                foreach (var child in seq.Children)
                {
                    Canonical(child, text);
                    text.Append(',');
                }

                text.Append(']');
                break;
            case YamlMappingNode m:
                text.Append('{');
                foreach (var (key, value) in m.Children)
                {
                    Canonical(key, text);
                    text.Append(':');
                    Canonical(value, text);
                    text.Append(',');
                }

                text.Append('}');
                break;
        }
    }
}
