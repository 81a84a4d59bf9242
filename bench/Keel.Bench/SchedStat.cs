using System.Globalization;

namespace Keel.Bench;

/// <summary>
/// The kernel's scheduler statistics of a process's threads (<c>/proc/PID/task/TID/schedstat</c>: nanoseconds on a CPU,
/// nanoseconds runnable but waiting for one, time slices), for --http-timing. A snapshot keeps each thread's figures,
/// so a difference counts each thread from its own start (threads that exit in between are left out). Linux only.
/// </summary>
internal sealed class SchedStat
{
    private readonly Dictionary<int, (long Run, long Wait, long Slices)> _threads;

    private SchedStat(Dictionary<int, (long, long, long)> threads) => _threads = threads;

    public static SchedStat Of(int pid)
    {
        var threads = new Dictionary<int, (long, long, long)>();
        var dir = $"/proc/{pid}/task";
        if (!Directory.Exists(dir)) return new SchedStat(threads);
        foreach (var task in Directory.EnumerateDirectories(dir))
        {
            try
            {
                var parts = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = (long.Parse(parts[0], CultureInfo.InvariantCulture),
                    long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // the thread exited meanwhile
            }
        }

        return new SchedStat(threads);
    }

    /// <summary>Milliseconds run and waited runnable, and slices, of the threads alive at <paramref name="later"/>, since this snapshot.</summary>
    public (double RunMs, double WaitMs, long Slices) Until(SchedStat later)
    {
        long run = 0, wait = 0, slices = 0;
        foreach (var (tid, now) in later._threads)
        {
            var then = _threads.GetValueOrDefault(tid);
            run += now.Run - then.Run;
            wait += now.Wait - then.Wait;
            slices += now.Slices - then.Slices;
        }

        return (run / 1e6, wait / 1e6, slices);
    }
}
