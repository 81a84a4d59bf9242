using System.Diagnostics.Tracing;

namespace Keel.Bench;

/// <summary>
/// Collects the methods the JIT compiles (runtime MethodJittingStarted and MethodLoadVerbose events), for --jit-report:
/// how often each was compiled, at which tiers (the distinct optimization-tier codes of the runtime's MethodFlags), and the compiler time (from its start event to its load event on the same thread).
/// </summary>
internal sealed class JitListener : EventListener
{
    private readonly Dictionary<string, (int Count, double Ms, string Tiers)> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<long, DateTime> _started = [];
    private bool _on;

    public void Start() => _on = true;

    /// <summary>Methods by compiler time, most first: name, times compiled, milliseconds, tiers.</summary>
    public IReadOnlyList<(string Name, int Count, double Ms, string Tiers)> Stop()
    {
        _on = false;
        lock (_byName) return _byName.OrderByDescending(kv => kv.Value.Ms).Select(kv => (kv.Key, kv.Value.Count, kv.Value.Ms, kv.Value.Tiers)).ToList();
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x10);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_on) return;
        if (e.EventName is "MethodJittingStarted_V1" or "MethodJittingStarted")
        {
            lock (_byName) _started[e.OSThreadId] = e.TimeStamp;
            return;
        }

        if (e.EventName != "MethodLoadVerbose_V2" && e.EventName != "MethodLoadVerbose_V1" && e.EventName != "MethodLoadVerbose") return;
        var ns = e.Payload?[e.PayloadNames!.IndexOf("MethodNamespace")] as string ?? "?";
        var name = e.Payload?[e.PayloadNames!.IndexOf("MethodName")] as string ?? "?";
        var flags = Convert.ToInt64(e.Payload?[e.PayloadNames!.IndexOf("MethodFlags")] ?? 0L);
        var tier = (flags >> 7) & 0x7;
        var key = $"{ns}::{name}";
        lock (_byName)
        {
            var ms = _started.Remove(e.OSThreadId, out var start) ? (e.TimeStamp - start).TotalMilliseconds : 0;
            var (count, total, tiers) = _byName.GetValueOrDefault(key, (0, 0, ""));
            _byName[key] = (count + 1, total + ms, tiers.Contains((char)('0' + tier)) ? tiers : tiers + tier);
        }
    }
}
