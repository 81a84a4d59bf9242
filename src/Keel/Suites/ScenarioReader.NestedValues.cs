using YamlDotNet.RepresentationModel;

namespace Keel.Suites;

/// <summary>
/// Variable values that hold placeholders of other variables: every reference must name another declared
/// variable and one of its parts, and no part may lead back to itself.
/// </summary>
internal sealed partial class ScenarioReader
{
    /// <summary>Where each part of each value is written, for error locations.</summary>
    private readonly Dictionary<(string Variable, string Label, string Part), YamlNode> partNodes = [];

    private void RememberPartNodes(string variable, string label, YamlNode valueNode)
    {
        if (valueNode is YamlScalarNode) partNodes[(variable, label, "")] = valueNode;
        if (valueNode is not YamlMappingNode parts) return;
        foreach (var (key, node) in parts.Children) partNodes[(variable, label, (key as YamlScalarNode)?.Value ?? "")] = node;
    }

    private void CheckNestedValues(List<Variable> variables, string what)
    {
        var byName = variables.ToDictionary(v => v.Name, StringComparer.Ordinal);
        var edges = new Dictionary<(string, string), List<((string, string) To, YamlNode At)>>();
        foreach (var v in variables)
        {
            foreach (var value in v.Values)
            {
                foreach (var (part, text) in value.Parts)
                {
                    var at = partNodes[(v.Name, value.Label, part)];
                    foreach (var (name, refPart) in Placeholders.ReferencesIn(text))
                    {
                        var shown = refPart.Length == 0 ? $"{{{{{name}}}}}" : $"{{{{{name}.{refPart}}}}}";
                        if (name == v.Name)
                        {
                            throw map.Error(at, $"value '{value.Label}' of variable '{name}' refers to its own variable in '{shown}'; a value may only hold placeholders of other variables");
                        }

                        if (!byName.TryGetValue(name, out var target))
                        {
                            throw map.Error(at, $"value '{value.Label}' of variable '{v.Name}' refers to undefined variable '{name}' in '{shown}'; declare it under 'variables:' in {what} or remove the placeholder");
                        }

                        if (!target.Values[0].Parts.ContainsKey(refPart))
                        {
                            var has = string.Join(", ", target.Values[0].Parts.Keys.Select(k => k.Length == 0 ? "(plain text)" : k));
                            throw map.Error(at, $"value '{value.Label}' of variable '{v.Name}' refers to '{shown}', but variable '{name}' has no such part (it has: {has})");
                        }

                        var from = (v.Name, part);
                        if (!edges.TryGetValue(from, out var list)) edges[from] = list = [];
                        list.Add(((name, refPart), at));
                    }
                }
            }
        }

        var done = new HashSet<(string, string)>();
        var path = new List<(string, string)>();
        void Visit((string, string) node)
        {
            if (done.Contains(node)) return;
            path.Add(node);
            foreach (var (to, at) in edges.GetValueOrDefault(node) ?? [])
            {
                if (path.Contains(to))
                {
                    var cycle = string.Join(" → ", path.Skip(path.IndexOf(to)).Append(to).Select(Shown));
                    throw map.Error(at, $"variable values in {what} refer to each other in a cycle ({cycle}); break the cycle");
                }

                Visit(to);
            }

            path.RemoveAt(path.Count - 1);
            done.Add(node);
        }

        foreach (var node in edges.Keys) Visit(node);
    }

    private static string Shown((string Variable, string Part) node) => node.Part.Length == 0 ? node.Variable : $"{node.Variable}.{node.Part}";
}
