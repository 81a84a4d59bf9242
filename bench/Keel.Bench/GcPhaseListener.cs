using System.Diagnostics.Tracing;

namespace Keel.Bench;

/// <summary>
/// What the runtime's GC events say about a measured run (for --gc-report): each ephemeral GC's pause split into
/// suspending the threads (GCSuspendEEBegin → GCSuspendEEEnd), the collection (GCStart → GCEnd) and restarting them
/// (GCRestartEEBegin → GCRestartEEEnd); the bytes the mark phase reached from each kind of root (GCMarkWithType); and
/// the types allocated most (GCAllocationTick, one event per about 100 KB allocated).
/// </summary>
internal sealed class GcPhaseListener : EventListener
{
    private static readonly string[] RootKinds = ["stacks", "finalizer queue", "handles", "older generations", "sized refs", "overflow", "dependent handles", "new finalizable", "steal", "background"];

    private readonly Lock _gate = new();
    private readonly List<GcPhases> _gcs = [];
    private readonly Dictionary<string, long> _marked = [];
    private readonly Dictionary<string, long> _allocated = [];
    private DateTime _suspendBegin, _suspendEnd, _start, _end, _restartBegin;
    private int _generation = -1;
    private volatile bool _on;

    /// <summary>One ephemeral GC: its generation and the milliseconds of each phase of its pause.</summary>
    public sealed record GcPhases(int Generation, double SuspendMs, double CollectMs, double RestartMs, double TotalMs);

    public void Start() => _on = true;

    /// <summary>Stops collecting; the GCs, the bytes marked per root kind and the allocation per type seen since <see cref="Start"/>.</summary>
    public (IReadOnlyList<GcPhases> Gcs, IReadOnlyDictionary<string, long> MarkedByRoot, IReadOnlyDictionary<string, long> AllocatedByType) Stop()
    {
        _on = false;
        lock (_gate) return (_gcs.ToList(), new Dictionary<string, long>(_marked), new Dictionary<string, long>(_allocated));
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_on) return;
        lock (_gate)
        {
            switch (e.EventId)
            {
                case 9: _suspendBegin = e.TimeStamp; break;
                case 8: _suspendEnd = e.TimeStamp; break;
                case 1:
                    _start = e.TimeStamp;
                    _generation = Convert.ToInt32(Payload(e, "Depth") ?? -1);
                    break;
                case 2: _end = e.TimeStamp; break;
                case 7: _restartBegin = e.TimeStamp; break;
                case 3:
                    if (_generation is 0 or 1 && _suspendBegin != default && _start >= _suspendEnd)
                    {
                        _gcs.Add(new GcPhases(_generation, (_suspendEnd - _suspendBegin).TotalMilliseconds, (_end - _start).TotalMilliseconds,
                            (e.TimeStamp - _restartBegin).TotalMilliseconds, (e.TimeStamp - _suspendBegin).TotalMilliseconds));
                    }

                    _generation = -1;
                    break;
                case 202:
                    var kind = Convert.ToInt32(Payload(e, "Type") ?? -1);
                    var name = kind >= 0 && kind < RootKinds.Length ? RootKinds[kind] : $"kind {kind}";
                    _marked[name] = _marked.GetValueOrDefault(name) + Convert.ToInt64(Payload(e, "Bytes") ?? 0L);
                    break;
                case 10:
                    var type = Payload(e, "TypeName") as string ?? "?";
                    _allocated[type] = _allocated.GetValueOrDefault(type) + Convert.ToInt64(Payload(e, "AllocationAmount64") ?? 0L);
                    break;
            }
        }
    }

    private static object? Payload(EventWrittenEventArgs e, string name) =>
        e.PayloadNames?.IndexOf(name) is { } i and >= 0 ? e.Payload![i] : null;
}
