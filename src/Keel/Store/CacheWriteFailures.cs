namespace Keel.Store;

/// <summary>
/// Response-cache entries a store could not write since it was opened. The responses themselves were used (their samples
/// are stored); only the cache misses them, so re-running or re-grading those samples calls the model again.
/// </summary>
/// <param name="Count">Entries not written.</param>
/// <param name="LastError">The latest failure's message, or null when none failed.</param>
public sealed record CacheWriteFailures(int Count, string? LastError)
{
    /// <summary>
    /// A warning for the failures since <paramref name="before"/> (a snapshot taken when a run began), or null when there
    /// were none.
    /// </summary>
    public string? WarningSince(CacheWriteFailures before) => Count > before.Count
        ? $"warning: {Count - before.Count} response-cache entr{(Count - before.Count == 1 ? "y was" : "ies were")} not written (last error: {LastError}). "
          + "The samples are stored; re-running or re-grading them calls the model again for those responses."
        : null;
}
