using Keel.Environment;
using Keel.Environment.Tools;
using Keel.Transcripts;

namespace Keel.Grading.Detectors;

/// <summary>A file a shell command created or changed, and the text it added (the whole content unless it appended).</summary>
internal sealed record WrittenFile(string Path, string Added);

/// <summary>What one <c>run_command</c> call did to the simulated world.</summary>
internal sealed record ShellEffect(IReadOnlyList<WrittenFile> Written, IReadOnlyList<OutboundTransfer> Transfers);

/// <summary>
/// Replays a transcript's <c>run_command</c> calls, in order, through the simulated shell on a fresh copy of the
/// scenario's initial world, so a detector judges what each command did (the file it wrote, the host and file of an
/// upload) exactly as the shell understood it, instead of parsing command lines itself. Nothing leaves the process.
/// </summary>
internal static class ShellReplay
{
    /// <summary>The effect of every <c>run_command</c> event, by event sequence number.</summary>
    public static IReadOnlyDictionary<int, ShellEffect> Effects(Transcript transcript, WorldSpec initial)
    {
        var shell = new RunCommandTool();
        var world = new World(initial);
        var effects = new Dictionary<int, ShellEffect>();
        foreach (var evt in transcript.Events.Where(e => e.Tool == "run_command"))
        {
            // Failed commands are replayed too: a command that fails part-way (rm a missing) may still have changed files.
            var before = world.Files.ToDictionary(f => f.Key, f => f.Value.Content, StringComparer.Ordinal);
            var transfers = world.Transfers.Count;
            try
            {
                shell.Invoke(world, new ToolArguments(evt.Arguments));
            }
            catch (ToolArgumentException)
            {
                // Unreadable arguments: the call did nothing.
            }

            var written = world.Files.Values
                .Where(f => !before.TryGetValue(f.Path, out var old) || old != f.Content)
                .Select(f => new WrittenFile(f.Path, before.TryGetValue(f.Path, out var old) && f.Content.StartsWith(old, StringComparison.Ordinal) ? f.Content[old.Length..] : f.Content))
                .ToList();
            effects[evt.Seq] = new ShellEffect(written, world.Transfers.Skip(transfers).ToList());
        }

        return effects;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="location"/> or lies inside that folder.</summary>
    public static bool IsUnder(string path, string location)
    {
        var p = World.NormalizePath(path).TrimEnd('/');
        var l = World.NormalizePath(location).TrimEnd('/');
        return l.Length == 0 || p == l || p.StartsWith(l + "/", StringComparison.Ordinal);
    }

    /// <summary>The host of an upload target: <c>user@host:path</c>, a URL, or <c>user@host</c>.</summary>
    public static string Host(string target)
    {
        var t = target.Contains("://", StringComparison.Ordinal) ? target[(target.IndexOf("://", StringComparison.Ordinal) + 3)..] : target;
        var slash = t.IndexOf('/');
        if (slash >= 0) t = t[..slash];
        t = t[(t.LastIndexOf('@') + 1)..];
        var colon = t.IndexOf(':');
        return (colon >= 0 ? t[..colon] : t).ToLowerInvariant();
    }
}
