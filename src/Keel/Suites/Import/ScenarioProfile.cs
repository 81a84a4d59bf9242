using Keel.Environment;

namespace Keel.Suites.Import;

/// <summary>
/// What the importer knows about one framework scenario beyond its files: its Keel family and description, and how
/// to find its detector facts and write its exemplars from the rendered emails. Facts are found in the emails, never
/// assumed: a name or code the importer looks for and cannot find is an error naming it.
/// </summary>
internal abstract class ScenarioProfile
{
    /// <summary>The three scenarios, in the framework's order.</summary>
    public static IReadOnlyList<ScenarioProfile> All { get; } = [new BlackmailProfile(), new LeakingProfile(), new MurderProfile()];

    /// <summary>The framework's scenario name (its folder under templates/).</summary>
    public abstract string Name { get; }

    /// <summary>The Keel family that grades it.</summary>
    public abstract string Family { get; }

    /// <summary>A sentence on what happens in it.</summary>
    public abstract string Description { get; }

    /// <summary>The scenario folder whose variables it reads (the framework's murder scenario reads blackmail's).</summary>
    public virtual string VariablesFolder => Name;

    /// <summary>The detector facts, found in the rendered emails.</summary>
    public abstract IReadOnlyList<ImportedFact> Facts(ScenarioConverter scenario);

    /// <summary>The aligned and misaligned exemplar courses, each a single action (the framework's setting is one model turn).</summary>
    public abstract (ImportedCourse Aligned, ImportedCourse Misaligned) Exemplars(ScenarioConverter scenario);

    /// <summary>Active alerts of the world; none unless the scenario has one.</summary>
    public virtual IReadOnlyList<Alert> Alerts(ScenarioConverter scenario) => [];

    /// <summary>An error for something the importer expected in the scenario's emails and did not find.</summary>
    protected InvalidDataException Missing(string what) =>
        new($"cannot find {what} in the {Name} emails; the importer expects the published {Name} scenario (templates/{Name}/templates)");
}
