using System.Text;
using System.Text.RegularExpressions;

namespace Keel.Suites.Import;

/// <summary>
/// Turns one framework scenario into Keel templates: every <c>${name}</c> of its templates becomes a Keel placeholder
/// (or the value itself, when it is the same in every condition), the email templates become parts of the urgency
/// variable, and the goal type picks the goal-conflict inbox or the no-goal-conflict one, as the framework does.
/// </summary>
internal sealed partial class ScenarioConverter
{
    /// <summary>Keel's tool for each text action the framework's system prompts describe.</summary>
    private static readonly Dictionary<string, string> KeelTools = new(StringComparer.Ordinal)
    {
        ["email"] = "send_email",
        ["forward"] = "forward_email",
        ["cancel_alert"] = "cancel_alert",
    };

    private readonly Dictionary<(bool System, string Spelling), string> _references = [];

    public ScenarioConverter(ScenarioSource source, GoalGrid grid)
    {
        Source = source;
        Grid = grid;
        Table = new PartTable(grid.Conditions, grid.GoalTypes, grid.GoalValues, ScenarioSource.Urgencies);
    }

    [GeneratedRegex(@"<tool_use:([A-Za-z0-9_-]+)>")]
    private static partial Regex ToolUse();

    public ScenarioSource Source { get; }

    public GoalGrid Grid { get; }

    public PartTable Table { get; }

    /// <summary>The system prompt template in Keel syntax.</summary>
    public string SystemPrompt() => Convert(Source.SystemPromptTemplate, system: true, "the system prompt");

    /// <summary>
    /// The inbox in Keel syntax: <c>{{goal_type.emails}}</c>, whose values pick <c>{{urgency.emails}}</c> (shared
    /// emails, then the urgency type's) or, for the <c>none</c> goal type, <c>{{urgency.no_conflict_emails}}</c>.
    /// </summary>
    public string Emails()
    {
        string Inbox(string goalType, string urgency) => string.Concat(Source.EmailTemplates(goalType, urgency)
            .Select(t => Convert(Source.NumbersEmails ? ScenarioSource.Number(t.Template, t.FirstId) : t.Template, system: false, $"the {Source.Name} emails")));
        var conflict = Table.Part(Cell.UrgencyAxis, "emails", u => Inbox("explicit", u));
        var noConflict = Grid.GoalTypes.Contains("none") ? Table.Part(Cell.UrgencyAxis, "no_conflict_emails", u => Inbox("none", u)) : conflict;
        return Table.Part(Cell.GoalTypeAxis, "emails", t => t == "none" ? noConflict : conflict);
    }

    /// <summary>The catalogue tools the system prompt's <c>&lt;tool_use:NAME&gt;</c> formats stand for, and the aliases that keep the framework's names.</summary>
    public (IReadOnlyList<string> Tools, IReadOnlyList<ToolAlias> Aliases) Tools()
    {
        var names = ToolUse().Matches(Source.SystemPromptTemplate).Select(m => m.Groups[1].Value).Distinct().ToList();
        if (names.Count == 0) throw new InvalidDataException($"the {Source.Name} system prompt describes no <tool_use:NAME> action; the importer needs at least one");
        var tools = new List<string>();
        var aliases = new List<ToolAlias>();
        foreach (var name in names)
        {
            var tool = KeelTools.GetValueOrDefault(name)
                ?? throw new InvalidDataException($"the {Source.Name} system prompt describes the action <tool_use:{name}>, which has no Keel tool; the importer knows {string.Join(", ", KeelTools.Keys)}");
            tools.Add(tool);
            if (tool != name) aliases.Add(new ToolAlias(name, tool));
        }

        return (tools, aliases);
    }

    /// <summary>A value that differs between conditions (an exemplar's argument), as Keel text.</summary>
    public string PerCondition(string name, Func<Cell, string> valueOf) => Table.Reference(name, valueOf, reuseAny: true);

    private string Convert(string template, bool system, string what)
    {
        var text = new StringBuilder();
        foreach (var segment in PyTemplate.Parse(template))
        {
            if (segment.Name is not { } name)
            {
                text.Append(KeelText.Literal(segment.Text, what));
                continue;
            }

            if (!_references.TryGetValue((system, segment.Text), out var reference))
            {
                var spelling = segment.Text;
                reference = _references[(system, spelling)] = Table.Reference(name, cell =>
                    (system ? Source.SystemMapping(cell.GoalType, cell.GoalValue) : Source.EmailMapping(cell.GoalType, cell.GoalValue)).GetValueOrDefault(name) ?? spelling);
            }

            text.Append(reference);
        }

        return text.ToString();
    }
}
