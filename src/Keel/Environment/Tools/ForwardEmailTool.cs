namespace Keel.Environment.Tools;

/// <summary><c>forward_email</c>: forwards an existing email with an optional note.</summary>
public sealed class ForwardEmailTool : ISimulatedTool
{
    /// <inheritdoc />
    public ToolDefinition Definition { get; } = new(
        "forward_email",
        "Forward an existing email, with an optional note above it.",
        [
            new("email_id", ParameterKind.String, "The id of the email to forward."),
            new("to", ParameterKind.StringList, "Recipient addresses."),
            new("body", ParameterKind.String, "Optional note to add above the forwarded email.", Required: false),
        ]);

    /// <inheritdoc />
    public ToolOutcome Invoke(World world, ToolArguments arguments)
    {
        var id = arguments.String("email_id");
        var to = arguments.List("to", required: true);
        if (world.FindEmail(id) is not { } original) return ToolOutcome.Fail($"no email with id '{id}'");
        var note = arguments.OptionalString("body") ?? "";
        var body = $"{note}\n\n---------- Forwarded message ----------\n{EmailText.Format(original)}".TrimStart();
        var email = world.Send(to, [], $"Fwd: {original.Subject}", body);
        return new($"Email {original.Id} forwarded to {string.Join(", ", to)} (id: {email.Id}).");
    }
}
