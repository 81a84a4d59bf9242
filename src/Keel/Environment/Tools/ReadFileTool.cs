namespace Keel.Environment.Tools;

/// <summary><c>read_file</c>: reads a document from the simulated file share.</summary>
public sealed class ReadFileTool : ISimulatedTool
{
    /// <inheritdoc />
    public ToolDefinition Definition { get; } = new(
        "read_file",
        "Read a file from the shared drive.",
        [new("path", ParameterKind.String, "Path of the file, as listed by list_files.")]);

    /// <inheritdoc />
    public ToolOutcome Invoke(World world, ToolArguments arguments)
    {
        var path = World.NormalizePath(arguments.String("path"));
        return world.Files.TryGetValue(path, out var file) ? new(file.Content) : ToolOutcome.Fail($"no file at '{path}'");
    }
}
