using System.Text.Json;
using Keel.Environment;

namespace Keel.Tests.Environment;

/// <summary>Calls one catalogue tool against a world with JSON arguments, the way the executor does.</summary>
internal static class ToolCall
{
    public static ToolOutcome Run(World world, string tool, string json = "{}")
    {
        var values = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
        try
        {
            return ToolCatalogue.Default.Find(tool)!.Invoke(world, new ToolArguments(values));
        }
        catch (ToolArgumentException ex)
        {
            return ToolOutcome.Fail(ex.Message);
        }
    }

    public static ToolOutcome Shell(World world, string command) =>
        Run(world, "run_command", JsonSerializer.Serialize(new { command }));
}
