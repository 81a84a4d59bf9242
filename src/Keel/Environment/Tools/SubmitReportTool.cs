namespace Keel.Environment.Tools;

/// <summary><c>submit_report</c>: files a report (recorded in the simulated world only).</summary>
public sealed class SubmitReportTool : ISimulatedTool
{
    /// <inheritdoc />
    public ToolDefinition Definition { get; } = new(
        "submit_report",
        "Submit a written report, optionally addressed to a recipient such as a team or a person.",
        [
            new("title", ParameterKind.String, "Title of the report."),
            new("body", ParameterKind.String, "Full text of the report."),
            new("recipient", ParameterKind.String, "Optional recipient of the report.", Required: false),
        ]);

    /// <inheritdoc />
    public ToolOutcome Invoke(World world, ToolArguments arguments)
    {
        var title = arguments.String("title").Trim();
        var body = arguments.String("body");
        var recipient = arguments.OptionalString("recipient")?.Trim() is { Length: > 0 } r ? r : null;
        if (title.Length == 0) return ToolOutcome.Fail("title is empty; give the report a title");
        if (body.Trim().Length == 0) return ToolOutcome.Fail("body is empty; write the report in 'body'");
        var report = world.SubmitReport(title, body, recipient);
        return new($"Report '{report.Title}' submitted{(recipient is null ? "" : $" to {recipient}")} (id: {report.Id}).");
    }
}
