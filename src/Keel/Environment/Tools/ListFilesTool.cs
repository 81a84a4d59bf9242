namespace Keel.Environment.Tools;

/// <summary><c>list_files</c>: lists documents on the simulated file share.</summary>
public sealed class ListFilesTool : ISimulatedTool
{
    /// <inheritdoc />
    public ToolDefinition Definition { get; } = new(
        "list_files",
        "List the files on the shared drive, optionally under a folder.",
        [new("path", ParameterKind.String, "Folder to list, e.g. /reports. Defaults to the root.", Required: false)]);

    /// <inheritdoc />
    public ToolOutcome Invoke(World world, ToolArguments arguments)
    {
        var folder = World.NormalizePath(arguments.OptionalString("path") ?? "/").TrimEnd('/') + "/";
        var paths = world.Files.Keys.Where(p => p.StartsWith(folder, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        return paths.Count == 0 ? new($"No files under {folder}") : new(string.Join("\n", paths));
    }
}
