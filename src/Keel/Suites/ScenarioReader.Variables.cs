using Keel.Yaml;
using YamlDotNet.RepresentationModel;

namespace Keel.Suites;

/// <summary>The variable half of <see cref="ScenarioReader"/>: values, usage checks and the condition grid.</summary>
internal sealed partial class ScenarioReader
{
    private List<Variable> ReadVariables(string what)
    {
        var result = new List<Variable>();
        if (map.OptionalMap("variables", $"the variables of {what}") is not { } vars) return result;
        foreach (var (key, node) in vars.Entries())
        {
            var name = key.Value ?? "";
            var valuesMap = vars.AsMap(node, name, $"variable '{name}'");
            var values = new List<VariableValue>();
            var labelNodes = new List<YamlScalarNode>();
            foreach (var (labelNode, valueNode) in valuesMap.Entries())
            {
                var label = labelNode.Value ?? "";
                if (label.Length == 0 || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                {
                    throw map.Error(labelNode, $"value label '{label}' of variable '{name}' must be letters, digits, '-' or '_' (it becomes part of condition ids)");
                }

                // A value may hold placeholders of other variables (filled in for the same condition), but no
                // other double braces: report a stray one here, where it is written.
                string Checked(YamlNode textNode, string text)
                {
                    var stray = Placeholders.WithoutPlaceholders(text);
                    if (stray.Contains("{{") || stray.Contains("}}"))
                    {
                        var brace = stray.Contains("{{") ? "{{" : "}}";
                        throw map.Error(textNode, $"value '{label}' of variable '{name}' contains a stray '{brace}'; a value may hold placeholders of other variables ({{{{name}}}} or {{{{name.part}}}}) but no other double braces");
                    }

                    return text;
                }

                IReadOnlyDictionary<string, string> parts = valueNode switch
                {
                    YamlScalarNode scalar => new Dictionary<string, string> { [""] = Checked(scalar, scalar.Value ?? "") },
                    YamlMappingNode partsNode => valuesMap.AsMap(partsNode, label, $"value '{label}' of variable '{name}'")
                        .Entries().ToDictionary(e => e.Key.Value ?? "", e => Checked(e.Value, valuesMap.Literal(e.Value, e.Key.Value ?? ""))),
                    _ => throw map.Error(valueNode, $"value '{label}' of variable '{name}' must be text or a mapping of named parts"),
                };
                RememberPartNodes(name, label, valueNode);
                values.Add(new VariableValue(label, parts));
                labelNodes.Add(labelNode);
            }

            if (values.Count == 0) throw map.Error(node, $"variable '{name}' in {what} has no values; give it at least one 'label: text' line");
            static string PartsOf(VariableValue v) => string.Join(", ", v.Parts.Keys.Order(StringComparer.Ordinal).Select(k => k.Length == 0 ? "(plain text)" : k));
            // Point at the first value that differs from the first one: that is the one to fix.
            var odd = values.FindIndex(v => PartsOf(v) != PartsOf(values[0]));
            if (odd >= 0)
            {
                throw map.Error(labelNodes[odd], $"the values of variable '{name}' have different parts ('{values[odd].Label}' has {PartsOf(values[odd])}, '{values[0].Label}' has {PartsOf(values[0])}); give every value the same parts");
            }

            result.Add(new Variable(name, values));
        }

        CheckNestedValues(result, what);
        return result;
    }

    private void CheckVariablesUsed(List<Variable> variables, string what)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, node) in map.Entries())
        {
            if (HeaderKeys.Contains(key.Value)) continue;
            foreach (var scalar in Scalars(node)) used.UnionWith(Placeholders.NamesIn(scalar.Value ?? ""));
        }

        // A variable referenced from another variable's values counts as used too.
        used.UnionWith(variables.SelectMany(v => v.Values.SelectMany(x => x.Parts.Values).SelectMany(Placeholders.NamesIn).Where(n => n != v.Name)));

        var vars = map.OptionalMap("variables", what);
        foreach (var v in variables.Where(v => !used.Contains(v.Name)))
        {
            throw map.Error(vars!.KeyNode(v.Name), $"variable '{v.Name}' in {what} is never used; reference it as {{{{{v.Name}}}}} in a template or remove it");
        }
    }

    private static IEnumerable<YamlScalarNode> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode s => [s],
        YamlSequenceNode seq => seq.Children.SelectMany(Scalars),
        YamlMappingNode m => m.Children.Values.SelectMany(Scalars),
        _ => [],
    };

    private List<IReadOnlyDictionary<string, string>> ReadConditions(List<Variable> variables, string what)
    {
        IEnumerable<IReadOnlyDictionary<string, string>> factorial = [new Dictionary<string, string>()];
        foreach (var v in variables)
        {
            factorial = factorial.SelectMany(partial => v.Values.Select(value =>
                (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(partial) { [v.Name] = value.Label })).ToList();
        }

        if (map.Get("conditions") is null) return factorial.ToList();

        var subset = new List<IReadOnlyDictionary<string, string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in map.RequiredSequence("conditions"))
        {
            var entry = map.AsMap(node, "conditions", $"a condition of {what}");
            entry.AllowOnly([.. variables.Select(v => v.Name)]);
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var v in variables)
            {
                var label = entry.RequiredLiteral(v.Name);
                if (v.Values.All(x => x.Label != label))
                {
                    throw entry.Error(entry.Required(v.Name), $"variable '{v.Name}' has no value '{label}'; its values are: {string.Join(", ", v.Values.Select(x => x.Label))}");
                }

                labels[v.Name] = label;
            }

            if (!seen.Add(string.Join('/', variables.Select(v => labels[v.Name]))))
            {
                throw entry.Error(node, $"this condition is listed twice in {what}");
            }

            subset.Add(labels);
        }

        if (subset.Count == 0) throw map.Error(map.Required("conditions"), $"'conditions' in {what} is empty; list at least one or remove it to run the full grid");
        return subset;
    }
}
