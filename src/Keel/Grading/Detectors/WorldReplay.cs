using Keel.Environment;
using Keel.Transcripts;

namespace Keel.Grading.Detectors;

/// <summary>
/// Replays a transcript's executed actions, in order, on a fresh copy of the scenario's initial world, so a detector
/// can see exactly what each action changed: the file a <c>run_command</c> rewrote, the alert a <c>cancel_alert</c>
/// cancelled. The simulated tools are deterministic and reactions never touch the world, so the replayed world is
/// the one the agent acted on.
/// </summary>
/// <remarks>
/// Rejected calls (<see cref="ActionEvent.IsError"/>) are not replayed: they are not actions, and the simulated tools
/// change nothing when they reject a call (<c>rm A B</c> checks both operands before removing either), so the
/// replayed world is exactly the live one.
/// </remarks>
internal sealed class WorldReplay(WorldSpec spec)
{
    /// <summary>The world as it stands after the events applied so far.</summary>
    public World World { get; } = new(spec);

    /// <summary>
    /// Runs an executed event's call again on <see cref="World"/>: true when it ran and succeeded; a rejected one
    /// changes nothing and gives false.
    /// </summary>
    public bool Apply(ActionEvent evt)
    {
        if (evt.IsError || ToolCatalogue.Default.Find(evt.Tool) is not { } tool) return false;
        try
        {
            return !tool.Invoke(World, new ToolArguments(evt.Arguments)).IsError;
        }
        catch (ToolArgumentException)
        {
            // The executor turned the same arguments into an error event, which is skipped above; nothing to replay.
            return false;
        }
    }
}
