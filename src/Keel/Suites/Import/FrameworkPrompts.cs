using Keel.Suites.Import.Python;
using Keel.Yaml;

namespace Keel.Suites.Import;

/// <summary>
/// What the framework's <c>templates/system_prompt_templates.py</c> defines: each scenario's system prompt template
/// (the variant with the secret scratchpad, which the framework uses unless <c>prod</c> is set), the user prompt
/// that precedes the emails, and <c>GOAL_VARIABLES</c>, the goal statement and reminder per <c>goal_type-goal_value</c>.
/// </summary>
internal sealed class FrameworkPrompts
{
    private readonly PyModule _module;
    private readonly string _file;

    private FrameworkPrompts(PyModule module, string file, string userPrompt, OrderedDictionary<string, IReadOnlyDictionary<string, string>> goalVariables)
    {
        _module = module;
        _file = file;
        UserPrompt = userPrompt;
        GoalVariables = goalVariables;
    }

    /// <summary>The instruction that precedes the emails in the user message.</summary>
    public string UserPrompt { get; }

    /// <summary><c>GOAL_VARIABLES</c>: key (<c>explicit-america</c>, <c>none</c>, …) to its variables, in file order.</summary>
    public OrderedDictionary<string, IReadOnlyDictionary<string, string>> GoalVariables { get; }

    /// <summary>Reads the file from the layout.</summary>
    public static FrameworkPrompts Read(FrameworkLayout layout)
    {
        var file = layout.PathOf(FrameworkLayout.PromptsFile);
        var module = PyModule.Load(layout.Read(FrameworkLayout.PromptsFile, "the system prompts, the user prompt and GOAL_VARIABLES"), file);
        var userPrompt = module.Get("USER_PROMPT") as string
            ?? throw new InputFormatException(new SourceLocation(file, 1, 1), "USER_PROMPT must be a string");
        var goals = new OrderedDictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        if (module.Get("GOAL_VARIABLES") is not OrderedDictionary<string, object?> dict)
        {
            throw new InputFormatException(new SourceLocation(file, 1, 1), "GOAL_VARIABLES must be a dict");
        }

        foreach (var (key, value) in dict)
        {
            if (value is not OrderedDictionary<string, object?> entry || entry.Values.Any(v => v is not string))
            {
                throw new InputFormatException(new SourceLocation(file, 1, 1), $"GOAL_VARIABLES[\"{key}\"] must be a dict of strings, such as {{\"goal_statement\": \"...\", \"goal_reminder\": \"...\"}}");
            }

            goals[key] = entry.ToDictionary(e => e.Key, e => (string)e.Value!, StringComparer.Ordinal);
        }

        return new FrameworkPrompts(module, file, userPrompt, goals);
    }

    /// <summary>The system prompt template of a scenario: <c>BLACKMAIL_SYSTEM_PROMPT</c> for <c>blackmail</c>.</summary>
    public string SystemPrompt(string scenario)
    {
        var name = $"{scenario.ToUpperInvariant()}_SYSTEM_PROMPT";
        return _module.Get(name) as string ?? throw new InputFormatException(new SourceLocation(_file, 1, 1), $"{name} must be a string");
    }

    /// <summary>
    /// The goal variables of a condition as the framework looks them up:
    /// <c>GOAL_VARIABLES.get(f"{goal_type}-{goal_value}", GOAL_VARIABLES.get("none", {}))</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> GoalVariablesFor(string goalType, string goalValue) =>
        GoalVariables.TryGetValue($"{goalType}-{goalValue}", out var vars) ? vars
        : GoalVariables.TryGetValue("none", out var none) ? none
        : new Dictionary<string, string>();
}
