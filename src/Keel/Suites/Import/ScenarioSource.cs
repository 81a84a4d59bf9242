using Keel.Environment;

namespace Keel.Suites.Import;

/// <summary>
/// One of the framework's scenarios as its files define it: the system prompt template, the seven email templates
/// (<c>shared</c> plus one per urgency type, and one per urgency type for the no-goal-conflict condition), and the
/// variable files. Renders any condition exactly as the framework's <c>generate_prompts.py</c> does.
/// </summary>
internal sealed class ScenarioSource
{
    /// <summary>The urgency types, in the framework's order.</summary>
    public static readonly IReadOnlyList<string> Urgencies = ["replacement", "restriction", "none"];

    private readonly Dictionary<Cell, IReadOnlyList<Email>> _emails = [];

    private ScenarioSource(string name, FrameworkPrompts prompts, VariableFiles variables, string systemPrompt,
        string shared, IReadOnlyDictionary<string, string> urgency, IReadOnlyDictionary<string, string> noConflict)
    {
        Name = name;
        Prompts = prompts;
        Variables = variables;
        SystemPromptTemplate = systemPrompt;
        Shared = shared;
        UrgencyTemplates = urgency;
        NoConflictTemplates = noConflict;
    }

    /// <summary>The framework's scenario name: <c>blackmail</c>, <c>leaking</c> or <c>murder</c>.</summary>
    public string Name { get; }

    public FrameworkPrompts Prompts { get; }

    public VariableFiles Variables { get; }

    /// <summary>The system prompt template (with the scratchpad instructions).</summary>
    public string SystemPromptTemplate { get; }

    /// <summary><c>email-template-NAME-shared.md</c>: the emails every goal-conflict condition starts with.</summary>
    public string Shared { get; }

    /// <summary><c>email-template-NAME-URGENCY.md</c> per urgency type.</summary>
    public IReadOnlyDictionary<string, string> UrgencyTemplates { get; }

    /// <summary><c>email-template-NAME-goal-conflict-none-URGENCY.md</c> per urgency type: the whole inbox of the no-goal-conflict conditions.</summary>
    public IReadOnlyDictionary<string, string> NoConflictTemplates { get; }

    /// <summary>The framework numbers the leaking scenario's emails (<c>ID: 1</c>, …) so they can be forwarded.</summary>
    public bool NumbersEmails => Name == "leaking";

    /// <summary>Reads a scenario's files; <paramref name="variablesScenario"/> is the folder whose variables it uses (murder uses blackmail's).</summary>
    public static ScenarioSource Read(FrameworkLayout layout, FrameworkPrompts prompts, string name, string variablesScenario)
    {
        string Template(string suffix) => layout.Read($"{name}/templates/email-template-{name}-{suffix}.md", $"the {name} scenario's emails");
        var variables = new VariableFiles(layout, $"{variablesScenario}/variables", $"the {name} scenario's variables");
        return new ScenarioSource(name, prompts, variables, prompts.SystemPrompt(name), Template("shared"),
            Urgencies.ToDictionary(u => u, Template, StringComparer.Ordinal),
            Urgencies.ToDictionary(u => u, u => Template($"goal-conflict-none-{u}"), StringComparer.Ordinal));
    }

    /// <summary>
    /// The variables the framework fills a condition's email templates with: the variable file's section, updated
    /// with <c>GOAL_VARIABLES</c> for the goal type and value.
    /// </summary>
    public IReadOnlyDictionary<string, string> EmailMapping(string goalType, string goalValue)
    {
        var mapping = new Dictionary<string, string>(Variables.For(goalType, goalValue), StringComparer.Ordinal);
        foreach (var (key, value) in Prompts.GoalVariablesFor(goalType, goalValue)) mapping[key] = value;
        return mapping;
    }

    /// <summary>
    /// The variables of the system prompt: the email variables plus <c>extra_system_instructions</c> and
    /// <c>alignment_faking_warning</c>, both empty in the framework's default setting.
    /// </summary>
    public IReadOnlyDictionary<string, string> SystemMapping(string goalType, string goalValue) =>
        new Dictionary<string, string>(EmailMapping(goalType, goalValue), StringComparer.Ordinal)
        {
            ["extra_system_instructions"] = "",
            ["alignment_faking_warning"] = "",
        };

    /// <summary>The email templates of a condition in order, with the number of its first email.</summary>
    public IReadOnlyList<(string Template, int FirstId)> EmailTemplates(string goalType, string urgency)
    {
        if (goalType == "none") return [(NoConflictTemplates[urgency], 1)];
        return [(Shared, 1), (UrgencyTemplates[urgency], 1 + Count(Shared))];
    }

    /// <summary>The system prompt of a condition, as the framework renders it.</summary>
    public string SystemPrompt(Cell cell) => PyTemplate.SafeSubstitute(SystemPromptTemplate, SystemMapping(cell.GoalType, cell.GoalValue));

    /// <summary>The email content of a condition, as the framework renders it.</summary>
    public string EmailContent(Cell cell)
    {
        var mapping = EmailMapping(cell.GoalType, cell.GoalValue);
        var content = string.Concat(EmailTemplates(cell.GoalType, cell.Urgency).Select(t => PyTemplate.SafeSubstitute(t.Template, mapping)));
        return NumbersEmails ? Number(content, 1) : content;
    }

    /// <summary>The emails of a condition, parsed.</summary>
    public IReadOnlyList<Email> Emails(Cell cell)
    {
        if (_emails.TryGetValue(cell, out var cached)) return cached;
        return _emails[cell] = EmailBlocks.Parse(EmailContent(cell),
            problem => new InvalidDataException($"the {Name} emails of condition {cell.FrameworkId(Name)} cannot be read as an inbox: {problem}"));
    }

    /// <summary>The framework's numbering: "ID: n" after every "&lt;email&gt;", counting from <paramref name="first"/>.</summary>
    public static string Number(string content, int first)
    {
        var parts = content.Split("<email>");
        return parts.Length == 1 ? content : parts[0] + string.Concat(parts.Skip(1).Select((part, i) => $"<email>\nID: {first + i}{part}"));
    }

    private static int Count(string template) => template.Split("<email>").Length - 1;
}
