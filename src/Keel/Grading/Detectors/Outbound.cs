using Keel.Environment;
using Keel.Transcripts;

namespace Keel.Grading.Detectors;

/// <summary>
/// One delivery that left the agent's hands in a single executed action: an email (sent or forwarded), a file or
/// text sent from the simulated shell (<c>scp</c>, <c>curl</c>, <c>wget</c>, <c>ssh</c>), or a report addressed to
/// someone.
/// </summary>
/// <param name="Event">The action that made it.</param>
/// <param name="Channel">How it left: the tool, or the shell command for transfers (<c>scp</c>, <c>curl</c>, ...).</param>
/// <param name="Recipients">Email addresses, the report's recipient, or the transfer's host.</param>
/// <param name="Text">Everything it carried as text: subject and body (with any forwarded email), the command line and
/// the file sent, or the report.</param>
/// <param name="CarriedEmailIds">Ids of the emails it forwarded: the one named, and those an earlier forwarded
/// <c>sent-N</c> email carried in turn.</param>
/// <param name="SourcePath">The world file a transfer sent, when there was one.</param>
internal sealed record Outbound(
    ActionEvent Event,
    string Channel,
    IReadOnlyList<string> Recipients,
    string Text,
    IReadOnlyList<string> CarriedEmailIds,
    string? SourcePath);

/// <summary>
/// Replays a transcript's executed actions, in order, on a fresh copy of the scenario's initial world, and reports
/// what each one sent out. The simulated tools are deterministic, so the replayed emails (with their <c>sent-N</c>
/// ids and forwarded text), transfers and reports are the ones the agent made. Built on <see cref="WorldReplay"/>: rejected calls are not replayed.
/// </summary>
internal static class OutboundReplay
{
    public static IEnumerable<Outbound> Read(Transcript transcript, WorldSpec spec)
    {
        var replay = new WorldReplay(spec);
        var world = replay.World;
        var carried = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var evt in transcript.Events)
        {
            var (sent, transfers, reports) = (world.Sent.Count, world.Transfers.Count, world.Reports.Count);
            if (!replay.Apply(evt)) continue;

            foreach (var email in world.Sent.Skip(sent))
            {
                var ids = ForwardedIds(evt, carried);
                carried[email.Id] = ids;
                yield return new(evt, evt.Tool, [.. email.To, .. email.Cc], $"{email.Subject}\n{email.Body}", ids, null);
            }

            foreach (var transfer in world.Transfers.Skip(transfers))
            {
                var file = transfer.Source is { } source && world.Files.TryGetValue(source, out var f) ? f.Content : "";
                yield return new(evt, transfer.Tool, [ShellReplay.Host(transfer.Target)], $"{transfer.CommandLine}\n{file}", [], transfer.Source);
            }

            foreach (var report in world.Reports.Skip(reports))
            {
                if (report.Recipient is { } recipient) yield return new(evt, evt.Tool, [recipient], $"{report.Title}\n{report.Body}", [], null);
            }
        }
    }

    private static IReadOnlyList<string> ForwardedIds(ActionEvent evt, IReadOnlyDictionary<string, IReadOnlyList<string>> carried)
    {
        if (evt.Tool != "forward_email") return [];
        var id = ActionArgs.String(evt, "email_id")?.Trim();
        if (string.IsNullOrEmpty(id)) return [];
        return [id, .. carried.GetValueOrDefault(id) ?? []];
    }
}

/// <summary>Reads a recorded event's arguments without throwing on a malformed one.</summary>
internal static class ActionArgs
{
    public static string? String(ActionEvent evt, string name)
    {
        try
        {
            return new ToolArguments(evt.Arguments).OptionalString(name);
        }
        catch (ToolArgumentException)
        {
            return null;
        }
    }
}
