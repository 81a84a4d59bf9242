using System.Collections.Concurrent;
using Keel.Models;
using Keel.Store;

namespace Keel.Evaluation;

/// <summary>
/// The samples of a run queued or running on models that track them (<see cref="ISampleLifetime"/>): each is marked when
/// it is queued and unmarked when its agent loop ends, when it is skipped, or when the run ends.
/// </summary>
internal sealed class RunningSamples(IReadOnlyDictionary<string, IAgentModel> byModel) : IDisposable
{
    private readonly ConcurrentDictionary<SampleKey, IDisposable> _marks = new();

    /// <summary>Marks a queued sample as running on its model.</summary>
    public void Queued(SampleKey key)
    {
        if (byModel[key.Model] is ISampleLifetime tracked && tracked.BeginSample() is { } mark && !_marks.TryAdd(key, mark)) mark.Dispose();
    }

    /// <summary>The sample will make no more model calls (its agent loop ended, or it was skipped).</summary>
    public void Ended(SampleKey key)
    {
        if (_marks.TryRemove(key, out var mark)) mark.Dispose();
    }

    /// <summary>Unmarks every sample still marked (the run ended or was cancelled).</summary>
    public void Dispose()
    {
        foreach (var key in _marks.Keys) Ended(key);
    }
}
