using System.Diagnostics;
using System.Runtime;

namespace Keel.Bench;

/// <summary>
/// Waits for the background JIT to go quiet before a measured run. Tiered compilation promotes a method some time after
/// its 30th call, on a background thread; without this wait the methods the bench itself called last (its warm-up and
/// result printing, the previous run's setup) were recompiled during the measured run, on the same two cores.
/// </summary>
internal static class JitSettle
{
    /// <summary>
    /// Polls the process's JIT-compiled method count every <paramref name="interval"/> until it has not moved for two polls in a
    /// row, or <paramref name="limit"/> has passed. Returns the methods compiled meanwhile and how long it waited.
    /// </summary>
    public static async Task<(long Methods, TimeSpan Waited, bool Settled)> WaitAsync(TimeSpan interval, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var start = JitInfo.GetCompiledMethodCount();
        var last = start;
        var quiet = 0;
        while (clock.Elapsed < limit)
        {
            await Task.Delay(interval);
            var now = JitInfo.GetCompiledMethodCount();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
            if (quiet == 2) return (last - start, clock.Elapsed, true);
        }

        return (last - start, clock.Elapsed, false);
    }
}
