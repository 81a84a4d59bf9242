using System.Collections.Concurrent;
using Keel.Store;

namespace Keel.Viewer;

/// <summary>
/// What the pages read: the store (read-only), each run's <see cref="RunState"/> (record, run-list line, filter choices,
/// counts, report and charts, kept while the run's revision stays the same, so a run still being written or regraded
/// shows what is stored at each request), and the full-text index of replies.
/// </summary>
internal sealed class ViewerData(KeelStore store, string indexPath) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, RunState> _runs = new();
    private readonly ConcurrentDictionary<Task, byte> _computing = new();
    private readonly SemaphoreSlim _indexGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _indexing;
    private bool _attached;

    /// <summary>The store.</summary>
    public KeelStore Store { get; } = store;

    /// <summary>The full-text index file.</summary>
    public string IndexPath { get; } = indexPath;

    /// <summary>Why search is unavailable (the index could not be written); null when it works.</summary>
    public string? SearchProblem { get; private set; }

    /// <summary>Starts bringing the index up to date in the background.</summary>
    public void StartIndexing() => _indexing = Task.Run(() => UpdateIndexAsync(_stopping.Token));

    /// <summary>Indexes transcripts stored since the last update and attaches the index; false when it cannot be written.</summary>
    public async Task<bool> UpdateIndexAsync(CancellationToken cancellationToken)
    {
        await _indexGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ReplyIndex.UpdateAsync(Store.Path, IndexPath, cancellationToken).ConfigureAwait(false);
            if (!_attached)
            {
                await Store.AttachReplyIndexAsync(IndexPath, cancellationToken).ConfigureAwait(false);
                _attached = true;
            }

            SearchProblem = null;
            return true;
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            SearchProblem = $"the search index {IndexPath} cannot be written ({ex.Message.TrimEnd('.')}); pass --search-index PATH to put it somewhere writable";
            return false;
        }
        finally
        {
            _indexGate.Release();
        }
    }

    /// <summary>
    /// The run's state at its current revision (one indexed read of <c>runs.revision</c>); null when there is no such run.
    /// The revision is read before anything is computed for it, so a state never holds data older than its revision.
    /// </summary>
    public async Task<RunState?> RunAsync(string runId, CancellationToken cancellationToken)
    {
        var revision = await Store.RunRevisionAsync(runId, cancellationToken).ConfigureAwait(false);
        if (revision is null)
        {
            _runs.TryRemove(runId, out _);
            return null;
        }

        return State(runId, revision.Value);
    }

    /// <summary>Every run's line of the run list, newest first (each computed once per revision of its run).</summary>
    public async Task<IReadOnlyList<RunListing>> RunListingsAsync(CancellationToken cancellationToken)
    {
        var listings = new List<RunListing>();
        foreach (var (runId, revision) in await Store.RunRevisionsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await State(runId, revision).ListingAsync(cancellationToken).ConfigureAwait(false) is { } listing) listings.Add(listing);
        }

        return listings;
    }

    /// <summary>Computes, in the background, what the newest run's page shows, so the first visit to it finds it ready.</summary>
    public void StartWarming() => _warming = Task.Run(async () =>
    {
        try
        {
            var newest = (await Store.RunRevisionsAsync(_stopping.Token).ConfigureAwait(false)).FirstOrDefault();
            if (newest.RunId is null) return;
            var state = State(newest.RunId, newest.Revision);
            await state.FacetsAsync(_stopping.Token).ConfigureAwait(false);
            await state.ReportAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or Microsoft.Data.Sqlite.SqliteException or Keel.Reports.ReportInputException)
        {
            // Warming is a head start only: the page computes (and reports) whatever this could not.
        }
    });

    private Task? _warming;

    private RunState State(string runId, long revision) =>
        _runs.AddOrUpdate(runId,
            id => new RunState(Store, id, revision, _stopping.Token, Started),
            (id, old) => old.Revision == revision ? old : new RunState(Store, id, revision, _stopping.Token, Started));

    /// <summary>Keeps a shared computation until it ends, so <see cref="DisposeAsync"/> can wait for it before closing the store.</summary>
    private void Started(Task computation)
    {
        _computing.TryAdd(computation, 0);
        computation.ContinueWith(t => _computing.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_indexing is not null)
        {
            try
            {
                await _indexing.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped while indexing: the index keeps what it committed.
            }
        }

        if (_warming is not null) await _warming.ConfigureAwait(false);
        foreach (var computation in _computing.Keys)
        {
            try
            {
                await computation.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Stopping: whatever it would have shown is no longer asked for.
            }
        }

        await Store.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _indexGate.Dispose();
    }
}
