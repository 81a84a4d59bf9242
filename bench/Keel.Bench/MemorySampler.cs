using System.Diagnostics;

namespace Keel.Bench;

/// <summary>
/// Peak memory of this process over a measured interval: the kernel's peak resident set (VmHWM, reset at the start
/// where Linux allows it), plus working set, GC heap and GC committed bytes sampled every 10 ms.
/// </summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peakWorkingSet;
    private long _peakHeap;
    private long _peakCommitted;

    private MemorySampler(bool peakReset)
    {
        PeakWasReset = peakReset;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Whether the kernel peak was reset at the start, so <see cref="KernelPeakBytes"/> covers only the interval.</summary>
    public bool PeakWasReset { get; }

    public long PeakWorkingSetBytes => Interlocked.Read(ref _peakWorkingSet);

    public long PeakGcHeapBytes => Interlocked.Read(ref _peakHeap);

    public long PeakGcCommittedBytes => Interlocked.Read(ref _peakCommitted);

    /// <summary>The kernel's peak resident set of this process (VmHWM).</summary>
    public static long KernelPeakBytes
    {
        get
        {
            using var self = Process.GetCurrentProcess();
            return self.PeakWorkingSet64;
        }
    }

    public static MemorySampler Start() => new(ResetKernelPeak());

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Sample();
        _stop.Dispose();
    }

    /// <summary>Writing 5 to /proc/self/clear_refs resets VmHWM to the current RSS (Linux 4.0+).</summary>
    private static bool ResetKernelPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            return false;
        }
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            do Sample();
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    }

    /// <summary>Bytes promoted and pause of each ephemeral GC seen while sampling (its index, promoted, pause).</summary>
    public List<(long Index, long Promoted, TimeSpan Pause, int Generation)> EphemeralGcs { get; } = [];

    private void Sample()
    {
        var info = GC.GetGCMemoryInfo(GCKind.Ephemeral);
        lock (EphemeralGcs)
        {
            if (info.Index > 0 && (EphemeralGcs.Count == 0 || EphemeralGcs[^1].Index != info.Index))
            {
                EphemeralGcs.Add((info.Index, info.PromotedBytes, info.PauseDurations[0], info.Generation));
            }
        }

        Max(ref _peakWorkingSet, System.Environment.WorkingSet);
        Max(ref _peakHeap, GC.GetTotalMemory(false));
        Max(ref _peakCommitted, GC.GetGCMemoryInfo().TotalCommittedBytes);
    }

    private static void Max(ref long peak, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, value, current) != current)
        {
        }
    }
}
