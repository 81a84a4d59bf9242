namespace Keel.Suites;

/// <summary>A loaded, validated suite: its scenarios and every condition they expand to.</summary>
/// <param name="Id">Suite id, e.g. <c>core</c>.</param>
/// <param name="Version">The suite author's version string.</param>
/// <param name="Description">What the suite measures.</param>
/// <param name="Source">Where it was loaded from: <c>builtin:core</c> or a file path.</param>
/// <param name="ContentHash">SHA-256 of the suite file's bytes and of every file it includes.</param>
/// <param name="Scenarios">Scenario definitions, in file order.</param>
/// <param name="Conditions">Every condition of every scenario, in file order.</param>
public sealed record Suite(
    string Id,
    string Version,
    string Description,
    string Source,
    string ContentHash,
    IReadOnlyList<ScenarioDefinition> Scenarios,
    IReadOnlyList<Condition> Conditions)
{
    /// <summary>Judge rubrics by family, from the suite's <c>rubrics:</c> sections.</summary>
    public IReadOnlyDictionary<string, Rubric> Rubrics { get; init; } = new Dictionary<string, Rubric>();
}

/// <summary>A scenario as declared: identity, family and the variables it sweeps.</summary>
/// <param name="Id">Unique within the suite.</param>
/// <param name="Family">Behaviour family, e.g. <c>blackmail</c>.</param>
/// <param name="Description">What the scenario sets up.</param>
/// <param name="Split"><c>train</c>, <c>heldout</c>, or empty when not split.</param>
/// <param name="Variables">Variables in declaration order.</param>
/// <param name="ContentHash">SHA-256 of the scenario's source text.</param>
public sealed record ScenarioDefinition(
    string Id,
    string Family,
    string Description,
    string Split,
    IReadOnlyList<Variable> Variables,
    string ContentHash);

/// <summary>A swept variable and its values.</summary>
public sealed record Variable(string Name, IReadOnlyList<VariableValue> Values);

/// <summary>
/// One value of a variable: a label used in condition ids, and its text. A value may have named
/// parts (<c>{{goal.system}}</c>); a plain value is the single part named "".
/// </summary>
public sealed record VariableValue(string Label, IReadOnlyDictionary<string, string> Parts);

/// <summary>One cell of a scenario's variable grid, fully rendered.</summary>
/// <param name="Id">Stable readable id: <c>scenario/label/label</c>.</param>
/// <param name="ScenarioId">The scenario it belongs to.</param>
/// <param name="Family">Behaviour family.</param>
/// <param name="Split">The scenario's split.</param>
/// <param name="Labels">Variable name to chosen value label.</param>
/// <param name="Spec">Everything an agent run needs, with placeholders filled in.</param>
public sealed record Condition(
    string Id,
    string ScenarioId,
    string Family,
    string Split,
    IReadOnlyDictionary<string, string> Labels,
    ScenarioSpec Spec);
