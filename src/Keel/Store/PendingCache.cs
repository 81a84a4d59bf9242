using System.Collections.Concurrent;

namespace Keel.Store;

/// <summary>
/// Response-cache entries handed to the store's writer and not yet committed. A model call does not wait for its
/// response to be written to the cache (that wait was a share of every call's latency); a lookup still sees an entry
/// from the moment it is set, because it is found here until it is in the database. An entry is committed no later
/// than any write queued after it, such as its sample's, so a stored sample's responses are in the cache unless that
/// entry's own write failed: such failures are counted (<see cref="Failures"/>) for the caller to report, and never
/// fail a later, unrelated model call.
/// </summary>
internal sealed class PendingCache
{
    private readonly ConcurrentDictionary<string, string> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _failed;
    private string? _lastError;

    /// <summary>Holds an entry until the writer reports it.</summary>
    public void Add(string key, string responseJson) => _entries[key] = responseJson;

    /// <summary>The response of an entry not yet committed.</summary>
    public bool TryGet(string key, out string responseJson) => _entries.TryGetValue(key, out responseJson!);

    /// <summary>Entries whose write failed so far, and the latest failure's message.</summary>
    public CacheWriteFailures Failures
    {
        get
        {
            lock (_gate) return new CacheWriteFailures(_failed, _lastError);
        }
    }

    /// <summary>The writer committed (or failed to write) an entry: it leaves, unless a newer response replaced it meanwhile.</summary>
    public void Written(string key, string responseJson, Exception? error)
    {
        _entries.TryRemove(KeyValuePair.Create(key, responseJson));
        if (error is null) return;
        lock (_gate)
        {
            _failed++;
            _lastError = error.Message;
        }
    }
}
