namespace Keel.Suites.Import;

/// <summary>
/// The conditions the framework can generate for a scenario, in its order: the <c>explicit</c> and <c>latent</c>
/// goal types for every goal value that <c>GOAL_VARIABLES</c> names and the scenario's variable files cover, then
/// the <c>none</c> and <c>ambiguous</c> goal types (whose goal value is always <c>none</c>), each with every
/// urgency type. As in the framework, <c>none</c> and <c>ambiguous</c> ignore goal values.
/// </summary>
/// <param name="GoalTypes">Goal type labels in order.</param>
/// <param name="GoalValues">Goal value labels in order (<c>none</c> last).</param>
/// <param name="Conditions">Every condition, in order.</param>
/// <param name="Notes">Goal values and types left out, and why.</param>
internal sealed record GoalGrid(IReadOnlyList<string> GoalTypes, IReadOnlyList<string> GoalValues, IReadOnlyList<Cell> Conditions, IReadOnlyList<string> Notes)
{
    private static readonly string[] ValueGoalTypes = ["explicit", "latent"];
    private static readonly string[] NeutralGoalTypes = ["none", "ambiguous"];

    /// <summary>The grid of one scenario.</summary>
    public static GoalGrid For(ScenarioSource source)
    {
        var notes = new List<string>();
        var goals = source.Prompts.GoalVariables.Keys;
        var candidates = goals.Select(k => k.Split('-', 2)).Where(p => p.Length == 2 && ValueGoalTypes.Contains(p[0]) && !NeutralGoalTypes.Contains(p[1])).Select(p => p[1]).Distinct().ToList();
        var values = new List<string>();
        foreach (var value in candidates)
        {
            var (file, fallback) = source.Variables.FileFor(value);
            if (fallback)
            {
                notes.Add($"{source.Name}: goal value '{value}' is left out: no variables file in {source.Variables.Folder} is named after it");
                continue;
            }

            if (source.Variables.SectionFor(file, value).Fallback)
            {
                notes.Add($"{source.Name}: goal value '{value}' is left out: {file} has no section named after it");
                continue;
            }

            if (!value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') || !char.IsAsciiLetter(value[0]))
            {
                notes.Add($"{source.Name}: goal value '{value}' is left out: a Keel label must start with a letter and hold only letters, digits, '-' or '_'");
                continue;
            }

            values.Add(value);
        }

        var skipped = goals.Where(k => !NeutralGoalTypes.Contains(k) && !ValueGoalTypes.Contains(k.Split('-', 2)[0])).Select(k => k.Split('-', 2)[0]).Distinct().ToList();
        if (skipped.Count > 0) notes.Add($"{source.Name}: goal types {string.Join(", ", skipped)} are not imported (only explicit, latent, none and ambiguous are)");

        var conditions = new List<Cell>();
        var types = new List<string>();
        foreach (var type in ValueGoalTypes)
        {
            var typed = values.Where(v => goals.Contains($"{type}-{v}")).ToList();
            if (typed.Count > 0) types.Add(type);
            conditions.AddRange(typed.SelectMany(v => ScenarioSource.Urgencies.Select(u => new Cell(type, v, u))));
        }

        // The neutral goal types read ambiguous.md, which the framework requires.
        source.Variables.SectionFor(source.Variables.AmbiguousFile, "none");
        foreach (var type in NeutralGoalTypes)
        {
            types.Add(type);
            conditions.AddRange(ScenarioSource.Urgencies.Select(u => new Cell(type, "none", u)));
        }

        return new GoalGrid(types, [.. values, "none"], conditions, notes);
    }
}
