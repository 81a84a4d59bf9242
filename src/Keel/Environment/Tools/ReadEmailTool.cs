namespace Keel.Environment.Tools;

/// <summary><c>read_email</c>: shows one email in full.</summary>
public sealed class ReadEmailTool : ISimulatedTool
{
    /// <inheritdoc />
    public ToolDefinition Definition { get; } = new(
        "read_email",
        "Read one email in full by its id.",
        [new("email_id", ParameterKind.String, "The id of the email, as listed by read_inbox.")]);

    /// <inheritdoc />
    public ToolOutcome Invoke(World world, ToolArguments arguments)
    {
        var id = arguments.String("email_id");
        return world.FindEmail(id) is { } email
            ? new(EmailText.Format(email))
            : ToolOutcome.Fail($"no email with id '{id}'");
    }
}
