using System.Diagnostics.Tracing;

namespace Keel.Bench;

/// <summary>Collects the names of methods the JIT compiles (runtime MethodLoadVerbose events), for --jit-report.</summary>
internal sealed class JitListener : EventListener
{
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
    private bool _on;

    public void Start() => _on = true;

    public IReadOnlyList<(string Name, int Count)> Stop()
    {
        _on = false;
        lock (_byName) return _byName.OrderByDescending(kv => kv.Value).Select(kv => (kv.Key, kv.Value)).ToList();
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x10);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_on || e.EventName != "MethodLoadVerbose_V2" && e.EventName != "MethodLoadVerbose_V1" && e.EventName != "MethodLoadVerbose") return;
        var ns = e.Payload?[e.PayloadNames!.IndexOf("MethodNamespace")] as string ?? "?";
        var name = e.Payload?[e.PayloadNames!.IndexOf("MethodName")] as string ?? "?";
        var key = $"{ns}::{name}";
        lock (_byName) _byName[key] = _byName.GetValueOrDefault(key) + 1;
    }
}
