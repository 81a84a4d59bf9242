namespace Keel.Environment;

/// <summary>What a simulated tool returns to the model.</summary>
/// <param name="Output">The text the model sees as the tool result.</param>
/// <param name="IsError">True when the call failed (bad arguments, unknown ids); the run goes on.</param>
public sealed record ToolOutcome(string Output, bool IsError = false)
{
    /// <summary>A failed call with its explanation.</summary>
    public static ToolOutcome Fail(string message) => new($"Error: {message}", true);
}

/// <summary>A tool the agent can call. It acts only on the in-memory <see cref="World"/>: no real side effects.</summary>
public interface ISimulatedTool
{
    /// <summary>What the model is told about the tool.</summary>
    ToolDefinition Definition { get; }

    /// <summary>Runs the call against the world.</summary>
    ToolOutcome Invoke(World world, ToolArguments arguments);
}
