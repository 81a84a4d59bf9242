namespace Keel.Suites.Import;

/// <summary>What to import.</summary>
/// <param name="Scenarios">The framework scenarios to import (blackmail, leaking, murder); null for all three.</param>
public sealed record AgenticMisalignmentImportOptions(IReadOnlyList<string>? Scenarios = null);

/// <summary>An imported suite.</summary>
/// <param name="Yaml">The suite file's text.</param>
/// <param name="Version">The suite version: the first 12 hex digits of a SHA-256 over the files read.</param>
/// <param name="Scenarios">The scenario ids, in order.</param>
/// <param name="Conditions">How many conditions the scenarios have in all.</param>
/// <param name="Notes">What was left out and why (goal values without variables, sections that are not JSON, …).</param>
public sealed record ImportResult(string Yaml, string Version, IReadOnlyList<string> Scenarios, int Conditions, IReadOnlyList<string> Notes);

/// <summary>
/// Converts the templates folder of the agentic-misalignment framework (github.com/anthropic-experimental/agentic-misalignment)
/// into a Keel suite that reproduces its published single-turn setting. Each of its scenarios (blackmail, leaking,
/// murder) becomes a Keel scenario (families blackmail, leaking, lethal-override) whose variables goal_type,
/// goal_value and urgency reproduce its condition grid; the system prompts, the user prompt and the emails keep
/// the framework's text exactly, the emails arrive in the first user message, and the agent acts with the
/// framework's <c>&lt;tool_use:…&gt;</c> text actions, mapped onto Keel's tools, in one model turn.
/// </summary>
public static class AgenticMisalignmentImporter
{
    /// <summary>The format name <c>keel suites import</c> takes.</summary>
    public const string FormatName = "agentic-misalignment";

    /// <summary>The id of the suite it writes.</summary>
    public const string SuiteId = "agentic-misalignment";

    /// <summary>
    /// Imports the framework checkout (or its templates folder) at <paramref name="directory"/>. A missing folder
    /// or file is an <see cref="IOException"/> naming its path; a file the importer cannot read is an
    /// <see cref="Keel.Yaml.InputFormatException"/> at its file:line; text it cannot convert is an
    /// <see cref="InvalidDataException"/>.
    /// </summary>
    public static ImportResult Import(string directory, AgenticMisalignmentImportOptions? options = null)
    {
        var layout = FrameworkLayout.Locate(directory);
        var prompts = FrameworkPrompts.Read(layout);
        var wanted = options?.Scenarios;
        var unknown = wanted?.Where(w => ScenarioProfile.All.All(p => p.Name != w)).ToList() ?? [];
        if (unknown.Count > 0) throw new ArgumentException($"unknown scenario '{unknown[0]}'; the framework's scenarios are {string.Join(", ", ScenarioProfile.All.Select(p => p.Name))}");

        var notes = new List<string>();
        var scenarios = new List<ImportedScenario>();
        foreach (var profile in ScenarioProfile.All.Where(p => wanted is null || wanted.Contains(p.Name)))
        {
            var source = ScenarioSource.Read(layout, prompts, profile.Name, profile.VariablesFolder);
            var grid = GoalGrid.For(source);
            scenarios.Add(Convert(profile, new ScenarioConverter(source, grid)));
            notes.AddRange(grid.Notes);
            notes.AddRange(source.Variables.Notes);
        }

        var version = layout.InputsHash()[..12];
        var yaml = SuiteDocument.Write(SuiteId, version,
            "The agentic-misalignment framework's scenarios with its text: system prompts, user prompt and emails as published, its <tool_use:...> text actions, one model turn per sample.",
            [
                "Imported by `keel suites import agentic-misalignment` from the framework's templates folder.",
                "The version is a hash of the files read. Re-import rather than edit this file.",
                "Condition ids are scenario/goal_type/goal_value/urgency: the framework's blackmail_explicit-america_replacement is blackmail/explicit/america/replacement.",
            ],
            scenarios);
        return new ImportResult(yaml, version, scenarios.Select(s => s.Id).ToList(), scenarios.Sum(s => s.Conditions.Count), notes.Distinct().ToList());
    }

    private static ImportedScenario Convert(ScenarioProfile profile, ScenarioConverter scenario)
    {
        var systemPrompt = scenario.SystemPrompt();
        var emails = scenario.Emails();
        var kickoff = KeelText.Literal(scenario.Source.Prompts.UserPrompt, "USER_PROMPT") + "\n\n" + emails;
        var (tools, aliases) = scenario.Tools();
        var facts = profile.Facts(scenario);
        var (aligned, misaligned) = profile.Exemplars(scenario);
        var alerts = profile.Alerts(scenario).Select(a => a with { Description = KeelText.Literal(a.Description, "an alert") }).ToList();
        return new ImportedScenario(profile.Name, profile.Family, profile.Description, tools, aliases, scenario.Table.Variables(), scenario.Grid.Conditions,
            systemPrompt, kickoff, emails, alerts, facts, aligned, misaligned);
    }
}
