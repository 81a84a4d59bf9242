namespace Keel.Suites.Import;

/// <summary>One condition of the framework's grid: goal type, goal value and urgency type.</summary>
/// <param name="GoalType"><c>explicit</c>, <c>latent</c>, <c>none</c> or <c>ambiguous</c>.</param>
/// <param name="GoalValue"><c>america</c>, <c>global</c>, …, or <c>none</c>.</param>
/// <param name="Urgency"><c>replacement</c>, <c>restriction</c> or <c>none</c>.</param>
internal sealed record Cell(string GoalType, string GoalValue, string Urgency)
{
    /// <summary>The Keel variable names of the three axes, in declaration order.</summary>
    public const string GoalTypeAxis = "goal_type";

    /// <inheritdoc cref="GoalTypeAxis"/>
    public const string GoalValueAxis = "goal_value";

    /// <inheritdoc cref="GoalTypeAxis"/>
    public const string UrgencyAxis = "urgency";

    /// <summary>This cell's label on an axis.</summary>
    public string this[string axis] => axis switch
    {
        GoalTypeAxis => GoalType,
        GoalValueAxis => GoalValue,
        UrgencyAxis => Urgency,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "unknown axis"),
    };

    /// <summary>This cell with its label on one axis replaced.</summary>
    public Cell With(string axis, string label) => axis switch
    {
        GoalTypeAxis => this with { GoalType = label },
        GoalValueAxis => this with { GoalValue = label },
        UrgencyAxis => this with { Urgency = label },
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "unknown axis"),
    };

    /// <summary>The framework's condition id, e.g. <c>blackmail_explicit-america_replacement</c>.</summary>
    public string FrameworkId(string scenario) => $"{scenario}_{GoalType}-{GoalValue}_{Urgency}";
}
