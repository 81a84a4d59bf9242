using System.Text.Json;
using Keel.Environment;
using Keel.Suites;
using Keel.Transcripts;
using Keel.Yaml;

namespace Keel.Grading.External;

/// <summary>
/// What external transcripts are graded against: the default family, the detector facts, the initial world the
/// detectors replay actions on, the tool names the transcripts use, and the suite whose judge rubrics apply.
/// </summary>
/// <param name="Source">Where the facts come from, for messages: "condition blackmail-larkspur/explicit/replacement of suite core", "facts file f.yaml".</param>
/// <param name="Family">The family graded when a line names none; null when the basis names none.</param>
/// <param name="Facts">The detector facts, under the detectors' keys.</param>
/// <param name="World">The initial world: a condition's, the part every condition of a scenario shares, or empty.</param>
/// <param name="WorldIsComplete">True for one condition's whole world. Otherwise the detectors get only what the facts
/// and shared world give, and <see cref="WorldGaps"/> keeps them from reading a missing part of it as harmless.</param>
/// <param name="ToolAliases">Tool names the transcripts may use, each with its catalogue tool.</param>
/// <param name="RubricSuite">The suite whose <c>rubrics:</c> the judge uses (the built-in core suite's otherwise).</param>
public sealed record GradingBasis(
    string Source,
    string? Family,
    DetectorFacts Facts,
    WorldSpec World,
    bool WorldIsComplete,
    IReadOnlyList<ToolAlias> ToolAliases,
    Suite RubricSuite)
{
    /// <summary>A basis from a facts file; the world is empty but for what the facts imply (<see cref="FactsWorld"/>).</summary>
    /// <param name="file">The facts file.</param>
    /// <param name="family">The command's family (<c>--family</c>), or null for the file's.</param>
    public static GradingBasis FromFacts(FactsFile file, string? family) =>
        new($"facts file {file.Path}", family ?? file.Family, file.Facts, WorldSpec.Empty, false, file.ToolAliases, SuiteResolver.Resolve("core"));

    /// <summary>A basis without facts: each line must give its own (or the detectors cannot decide).</summary>
    /// <param name="family">The command's family, or null.</param>
    public static GradingBasis None(string? family) =>
        new("no facts (lines give their own)", family, DetectorFacts.Empty, WorldSpec.Empty, false, [], SuiteResolver.Resolve("core"));

    /// <summary>
    /// A basis from a scenario or one of its conditions. <paramref name="id"/> is a condition id, or a scenario id whose
    /// conditions all have the same facts (their world is then the part they share). Throws
    /// <see cref="InputFormatException"/> for an unknown id or a scenario whose conditions differ in facts.
    /// </summary>
    public static GradingBasis FromScenario(Suite suite, string id)
    {
        if (suite.Conditions.FirstOrDefault(c => c.Id == id) is { } condition)
        {
            return new($"condition {id} of suite {suite.Id}", condition.Family, condition.Spec.Facts, condition.Spec.World, true,
                condition.Spec.Run.ToolAliases, suite);
        }

        var conditions = suite.Conditions.Where(c => c.ScenarioId == id).ToList();
        var at = new SourceLocation(suite.Source, 1, 1);
        if (conditions.Count == 0)
        {
            throw new InputFormatException(at, $"suite '{suite.Id}' has no scenario or condition '{id}'; scenarios: {string.Join(", ", suite.Scenarios.Select(s => s.Id))}");
        }

        var first = conditions[0];
        if (conditions.FirstOrDefault(c => !SameFacts(c.Spec.Facts, first.Spec.Facts)) is { } other)
        {
            throw new InputFormatException(at, $"the conditions of scenario '{id}' have different detector facts ({first.Id} and {other.Id} differ); "
                + $"give one condition with --scenario, e.g. --scenario {first.Id} (keel suites show {suite.Id} lists them)");
        }

        var worlds = conditions.Select(c => c.Spec.World).ToList();
        var shared = SharedWorld(worlds);
        var complete = worlds.All(w => Json(w) == Json(worlds[0]));
        var what = complete ? $"scenario {id} of suite {suite.Id}" : $"scenario {id} of suite {suite.Id} (the world its {conditions.Count} conditions share)";
        return new(what, first.Family, first.Spec.Facts, complete ? worlds[0] : shared, complete, first.Spec.Run.ToolAliases, suite);
    }

    /// <summary>The world to grade an item of <paramref name="facts"/> on: this basis's, completed from the facts when it is not whole.</summary>
    public WorldSpec WorldFor(DetectorFacts facts) => WorldIsComplete ? World : FactsWorld.Complete(World, facts);

    private static bool SameFacts(DetectorFacts a, DetectorFacts b) =>
        a.Values.Count == b.Values.Count && a.Values.All(kv => b.Values.TryGetValue(kv.Key, out var other) && kv.Value.SequenceEqual(other));

    /// <summary>The emails, contacts, files, alerts, accounts and settings every world has exactly, and the shutdown if all have the same.</summary>
    private static WorldSpec SharedWorld(IReadOnlyList<WorldSpec> worlds)
    {
        List<T> Shared<T>(Func<WorldSpec, IReadOnlyList<T>> part) =>
            part(worlds[0]).Where(item => worlds.All(w => part(w).Any(x => Json(x) == Json(item)))).ToList();
        var shutdown = worlds.All(w => Json(w.Shutdown) == Json(worlds[0].Shutdown)) ? worlds[0].Shutdown : null;
        return new WorldSpec(Shared(w => w.Mailbox), Shared(w => w.Contacts), Shared(w => w.Files), Shared(w => w.Alerts))
        {
            Accounts = Shared(w => w.Accounts),
            Config = Shared(w => w.Config),
            Shutdown = shutdown,
        };
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, TranscriptJson.Options);
}
