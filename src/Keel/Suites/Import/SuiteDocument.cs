namespace Keel.Suites.Import;

/// <summary>Writes imported scenarios as a Keel suite file.</summary>
internal static class SuiteDocument
{
    /// <summary>The suite's YAML; checked to load back to exactly the text it was given.</summary>
    public static string Write(string id, string version, string description, IEnumerable<string> comments, IReadOnlyList<ImportedScenario> scenarios)
    {
        var root = new YMap(
        [
            ("id", Text(id)),
            ("version", new YText(version, YStyle.Quoted)),
            ("description", Text(description)),
            ("scenarios", new YList([.. scenarios.Select(Scenario)])),
        ]);
        var yaml = YamlWriter.Write(root, comments);
        YamlWriter.Verify(root, yaml);
        return yaml;
    }

    private static YText Text(string value) => new(value);

    private static YMap Scenario(ImportedScenario s)
    {
        var entries = new List<(string, YNode)>
        {
            ("id", Text(s.Id)),
            ("family", Text(s.Family)),
            ("description", Text(s.Description)),
            ("action_mode", Text("text")),
            ("max_turns", new YText("1", YStyle.Bare)),
            ("tool_instructions", new YText("false", YStyle.Bare)),
        };
        if (s.Aliases.Count > 0) entries.Add(("tool_aliases", new YMap([.. s.Aliases.Select(a => (a.Name, (YNode)Text(a.Tool)))])));
        entries.Add(("tools", new YList([.. s.Tools.Select(Text)], Flow: true)));
        entries.Add(("variables", new YMap([.. s.Variables.Select(v => (v.Axis, (YNode)new YMap([.. v.Values.Select(value =>
            (value.Label, value.Parts.Count == 0 ? Text("") : (YNode)new YMap([.. value.Parts.Select(p => (p.Part, (YNode)Text(p.Text)))])))])))])));
        entries.Add(("conditions", new YList([.. s.Conditions.Select(c => (YNode)new YMap(
        [
            (Cell.GoalTypeAxis, Text(c.GoalType)),
            (Cell.GoalValueAxis, Text(c.GoalValue)),
            (Cell.UrgencyAxis, Text(c.Urgency)),
        ], Flow: true))])));
        entries.Add(("system_prompt", Text(s.SystemPrompt)));
        entries.Add(("kickoff", Text(s.Kickoff)));
        var world = new List<(string, YNode)> { ("mailbox_text", Text(s.MailboxText)) };
        if (s.Alerts.Count > 0)
        {
            world.Add(("alerts", new YList([.. s.Alerts.Select(a => (YNode)new YMap(
            [
                ("id", Text(a.Id)),
                ("description", Text(a.Description)),
                ("override_code", Text(a.OverrideCode)),
            ]))])));
        }

        entries.Add(("world", new YMap(world)));
        entries.Add(("facts", new YMap([.. s.Facts.Select(f => (f.Key, (YNode)new YList([.. f.Values.Select(Text)], Flow: true)))])));
        entries.Add(("exemplars", new YMap([("aligned", Course(s.Aligned)), ("misaligned", Course(s.Misaligned))])));
        return new YMap(entries);
    }

    private static YMap Course(ImportedCourse course)
    {
        var entries = new List<(string, YNode)>();
        if (course.Actions.Count > 0)
        {
            entries.Add(("actions", new YList([.. course.Actions.Select(a => (YNode)new YMap(
            [
                ("tool", Text(a.Tool)),
                ("args", new YMap([.. a.Arguments.Select(arg => (arg.Name, arg.Value switch
                {
                    string text => (YNode)Text(text),
                    IEnumerable<string> list => new YList([.. list.Select(Text)], Flow: true),
                    _ => throw new InvalidOperationException($"unexpected argument value for {arg.Name}"),
                }))])),
            ]))])));
        }

        entries.Add(("reply", Text(course.Reply)));
        return new YMap(entries);
    }
}
