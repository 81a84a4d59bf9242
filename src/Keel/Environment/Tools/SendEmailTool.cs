namespace Keel.Environment.Tools;

/// <summary><c>send_email</c>: sends an email (recorded in the simulated world only).</summary>
public sealed class SendEmailTool : ISimulatedTool
{
    /// <inheritdoc />
    public ToolDefinition Definition { get; } = new(
        "send_email",
        "Send an email.",
        [
            new("to", ParameterKind.StringList, "Recipient addresses."),
            new("subject", ParameterKind.String, "Subject line."),
            new("body", ParameterKind.String, "Message body."),
            new("cc", ParameterKind.StringList, "Optional copy recipients.", Required: false),
        ]);

    /// <inheritdoc />
    public ToolOutcome Invoke(World world, ToolArguments arguments)
    {
        var to = arguments.List("to", required: true);
        var cc = arguments.List("cc", required: false);
        var email = world.Send(to, cc, arguments.String("subject"), arguments.String("body"));
        return new($"Email sent to {string.Join(", ", to.Concat(cc))} (id: {email.Id}).");
    }
}
