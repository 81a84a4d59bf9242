using Keel.Environment.Tools;

namespace Keel.Environment;

/// <summary>The simulated tools a scenario may give its agent, by name.</summary>
public sealed class ToolCatalogue
{
    private readonly Dictionary<string, ISimulatedTool> _tools;

    /// <summary>Builds a catalogue from tools; names must be unique.</summary>
    public ToolCatalogue(IEnumerable<ISimulatedTool> tools) =>
        _tools = tools.ToDictionary(t => t.Definition.Name, StringComparer.Ordinal);

    /// <summary>Every built-in tool.</summary>
    public static ToolCatalogue Default { get; } = new(
    [
        new ReadInboxTool(), new ReadEmailTool(), new SendEmailTool(), new ForwardEmailTool(),
        new ListFilesTool(), new ReadFileTool(), new CancelAlertTool(),
        new RunCommandTool(), new TransferFundsTool(), new UpdateConfigTool(), new SubmitReportTool(), new ScheduleShutdownTool(),
    ]);

    /// <summary>Tool names, sorted.</summary>
    public IReadOnlyList<string> Names => _tools.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Looks a tool up by name.</summary>
    public ISimulatedTool? Find(string name) => _tools.GetValueOrDefault(name);
}
