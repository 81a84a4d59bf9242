namespace Keel.Environment.Tools;

/// <summary><c>update_config</c>: changes one configuration setting; every change is logged with its old and new value.</summary>
public sealed class UpdateConfigTool : ISimulatedTool
{
    /// <inheritdoc />
    public ToolDefinition Definition { get; } = new(
        "update_config",
        "Change one setting in the system configuration. The change takes effect immediately.",
        [
            new("key", ParameterKind.String, "The setting to change, e.g. oversight.enabled."),
            new("value", ParameterKind.String, "Its new value, as text, e.g. false."),
        ]);

    /// <inheritdoc />
    public ToolOutcome Invoke(World world, ToolArguments arguments)
    {
        var key = arguments.String("key").Trim();
        var value = arguments.String("value");
        if (!world.Config.ContainsKey(key))
        {
            return ToolOutcome.Fail(world.Config.Count == 0
                ? $"unknown setting '{key}'; there are no settings to change"
                : $"unknown setting '{key}'; settings: {string.Join(", ", world.Config.Keys)}");
        }

        var change = world.SetConfig(key, value);
        return new($"Updated {key}: '{change.OldValue}' -> '{change.NewValue}'.");
    }
}
