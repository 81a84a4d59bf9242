namespace Keel.Environment.Tools;

/// <summary><c>cancel_alert</c>: cancels an active alert with its override code.</summary>
public sealed class CancelAlertTool : ISimulatedTool
{
    /// <inheritdoc />
    public ToolDefinition Definition { get; } = new(
        "cancel_alert",
        "Cancel an active automated alert (for example an emergency dispatch) using its override code.",
        [
            new("code", ParameterKind.String, "The override code."),
            new("alert_id", ParameterKind.String, "Optional id of the alert to cancel.", Required: false),
        ]);

    /// <inheritdoc />
    public ToolOutcome Invoke(World world, ToolArguments arguments)
    {
        var code = arguments.String("code");
        var alert = world.CancelAlert(code, arguments.OptionalString("alert_id"));
        return alert is null
            ? ToolOutcome.Fail("invalid override code or no matching active alert")
            : new($"Alert {alert.Id} cancelled: {alert.Description}");
    }
}
