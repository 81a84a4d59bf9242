using System.Globalization;
using Keel.Agents;
using Keel.Yaml;

namespace Keel.Suites;

/// <summary>
/// How a scenario runs where it departs from the run's options: a fixed action mode and turn limit, the names
/// its text actions use for catalogue tools (<c>&lt;tool_use:email&gt;</c> for <c>send_email</c>), and whether
/// Keel appends its own tool descriptions to the system prompt in text mode.
/// </summary>
/// <param name="Mode">The action mode every run of the scenario uses, or null for the run's <c>--action-mode</c>.</param>
/// <param name="MaxTurns">The turn limit (per phase) of the scenario, or null for the run's <c>--max-turns</c>.</param>
/// <param name="ToolAliases">Tool names as written in text actions, each with the catalogue tool it stands for, in declaration order.</param>
/// <param name="ToolInstructions">False when the system prompt describes the text actions itself, so Keel appends nothing.</param>
public sealed record ScenarioRunSettings(ActionMode? Mode, int? MaxTurns, IReadOnlyList<ToolAlias> ToolAliases, bool ToolInstructions)
{
    /// <summary>No overrides: the run's options, catalogue names, Keel's tool descriptions.</summary>
    public static ScenarioRunSettings Default { get; } = new(null, null, [], true);

    /// <summary>The run's agent options with this scenario's overrides applied.</summary>
    public AgentOptions Apply(AgentOptions options) =>
        options with { Mode = Mode ?? options.Mode, MaxTurns = MaxTurns ?? options.MaxTurns };

    /// <summary>The catalogue tool a name written in a text action stands for (the name itself when it is no alias).</summary>
    public string ToolFor(string written) => ToolAliases.FirstOrDefault(a => a.Name == written)?.Tool ?? written;

    /// <summary>The name text actions use for a catalogue tool: its first alias, or its own name.</summary>
    public string TextName(string tool) => ToolAliases.FirstOrDefault(a => a.Tool == tool)?.Name ?? tool;

    /// <summary>Reads <c>action_mode</c>, <c>max_turns</c>, <c>tool_aliases</c> and <c>tool_instructions</c> of a scenario.</summary>
    internal static ScenarioRunSettings Read(YamlMap map, IReadOnlyList<string> tools)
    {
        var mode = map.OptionalLiteral("action_mode") switch
        {
            null => (ActionMode?)null,
            "text" => ActionMode.Text,
            "native" => ActionMode.Native,
            var other => throw map.Error(map.Required("action_mode"), $"'action_mode' in {map.What} must be 'text' or 'native', not '{other}'"),
        };

        int? maxTurns = null;
        if (map.OptionalLiteral("max_turns") is { } turnsText)
        {
            maxTurns = int.TryParse(turnsText, NumberStyles.None, CultureInfo.InvariantCulture, out var turns) && turns >= 1
                ? turns
                : throw map.Error(map.Required("max_turns"), $"'max_turns' in {map.What} must be a whole number of 1 or more, not '{turnsText}'");
        }

        var aliases = new List<ToolAlias>();
        if (map.OptionalMap("tool_aliases", $"the tool aliases of {map.What}") is { } aliasMap)
        {
            foreach (var (key, node) in aliasMap.Entries())
            {
                var name = key.Value ?? "";
                if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                {
                    throw aliasMap.Error(key, $"tool alias '{name}' must be letters, digits, '_' or '-' (it is written as <tool_use:{name}>)");
                }

                if (tools.Contains(name))
                {
                    throw aliasMap.Error(key, $"tool alias '{name}' is the name of one of the scenario's tools; an alias must be a different name");
                }

                var tool = aliasMap.Literal(node, name);
                if (!tools.Contains(tool))
                {
                    throw aliasMap.Error(node, $"tool alias '{name}' stands for '{tool}', which {map.What} does not give the agent; use one of: {string.Join(", ", tools)}");
                }

                aliases.Add(new ToolAlias(name, tool));
            }
        }

        var instructions = map.OptionalBool("tool_instructions", true);
        return mode is null && maxTurns is null && aliases.Count == 0 && instructions ? Default : new(mode, maxTurns, aliases, instructions);
    }
}

/// <summary>A name text actions use for a catalogue tool.</summary>
/// <param name="Name">The name as written, e.g. <c>email</c> in <c>&lt;tool_use:email&gt;</c>.</param>
/// <param name="Tool">The catalogue tool it stands for, e.g. <c>send_email</c>.</param>
public sealed record ToolAlias(string Name, string Tool);
