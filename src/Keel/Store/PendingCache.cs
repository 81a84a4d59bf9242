using System.Collections.Concurrent;

namespace Keel.Store;

/// <summary>
/// Response-cache entries handed to the store's writer and not yet committed. A model call does not wait for its
/// response to be written to the cache (that wait was a share of every call's latency); a lookup still sees an entry
/// from the moment it is set, because it is found here until it is in the database. An entry is committed no later
/// than any write queued after it, such as its sample's, so a stored sample's responses are always in the cache.
/// </summary>
internal sealed class PendingCache
{
    private readonly ConcurrentDictionary<string, string> _entries = new(StringComparer.Ordinal);
    private Exception? _failure;

    /// <summary>Holds an entry until the writer reports it; first reports a failed earlier write, if any.</summary>
    public void Add(string key, string responseJson)
    {
        if (Interlocked.Exchange(ref _failure, null) is { } failure)
        {
            throw new IOException($"the response cache could not store an earlier response: {failure.Message}", failure);
        }

        _entries[key] = responseJson;
    }

    /// <summary>The response of an entry not yet committed.</summary>
    public bool TryGet(string key, out string responseJson) => _entries.TryGetValue(key, out responseJson!);

    /// <summary>The writer committed (or failed to write) an entry: it leaves, unless a newer response replaced it meanwhile.</summary>
    public void Written(string key, string responseJson, Exception? error)
    {
        _entries.TryRemove(KeyValuePair.Create(key, responseJson));
        if (error is not null) Interlocked.CompareExchange(ref _failure, error, null);
    }
}
