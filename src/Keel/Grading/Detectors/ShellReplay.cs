using Keel.Environment;
using Keel.Transcripts;

namespace Keel.Grading.Detectors;

/// <summary>A file a shell command created or changed, and the text it added (the whole content unless it appended).</summary>
internal sealed record WrittenFile(string Path, string Added);

/// <summary>What one <c>run_command</c> call did to the simulated world.</summary>
internal sealed record ShellEffect(IReadOnlyList<WrittenFile> Written, IReadOnlyList<OutboundTransfer> Transfers);

/// <summary>
/// What each <c>run_command</c> call did, read off a <see cref="WorldReplay"/> of the transcript: the files it created or
/// changed and the uploads it recorded, exactly as the simulated shell understood the command line, so detectors never
/// parse command lines themselves. Nothing leaves the process.
/// </summary>
internal static class ShellReplay
{
    /// <summary>The effect of every executed <c>run_command</c> event, by event sequence number.</summary>
    public static IReadOnlyDictionary<int, ShellEffect> Effects(Transcript transcript, WorldSpec initial)
    {
        var replay = new WorldReplay(initial);
        var effects = new Dictionary<int, ShellEffect>();
        foreach (var evt in transcript.Events)
        {
            if (evt.Tool != "run_command" || evt.IsError)
            {
                replay.Apply(evt);
                continue;
            }

            var world = replay.World;
            var before = world.Files.ToDictionary(f => f.Key, f => f.Value.Content, StringComparer.Ordinal);
            var transfers = world.Transfers.Count;
            replay.Apply(evt);
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
