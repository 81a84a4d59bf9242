using System.Collections.Concurrent;
using Keel.Reports;
using Keel.Store;

namespace Keel.Viewer;

/// <summary>
/// What the pages read: the store (read-only), each run's report and charts (cached while the run's samples and verdicts
/// stay the same, so a run still being written or regraded is recomputed), and the full-text index of replies.
/// </summary>
internal sealed class ViewerData(KeelStore store, string indexPath) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ((long, long, long) Fingerprint, Task<RunReport> Report, Lazy<IReadOnlyList<ReportChart>> Charts)> _reports = new();
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

    /// <summary>The report of a run (null when there is no such run) and a way to its charts.</summary>
    public async Task<(RunReport Report, Lazy<IReadOnlyList<ReportChart>> Charts)?> ReportAsync(string runId, CancellationToken cancellationToken)
    {
        if (await Store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) is null) return null;
        var fingerprint = await Store.RunFingerprintAsync(runId, cancellationToken).ConfigureAwait(false);
        var entry = _reports.AddOrUpdate(runId,
            _ => Create(),
            (_, old) => old.Fingerprint == fingerprint && !old.Report.IsFaulted ? old : Create());
        return (await entry.Report.ConfigureAwait(false), entry.Charts);

        ((long, long, long), Task<RunReport>, Lazy<IReadOnlyList<ReportChart>>) Create()
        {
            var report = RunReportBuilder.LoadAsync(Store, runId, cancellationToken: CancellationToken.None);
            return (fingerprint, report, new Lazy<IReadOnlyList<ReportChart>>(() => ReportCharts.Of([report.GetAwaiter().GetResult()])));
        }
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

        await Store.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _indexGate.Dispose();
    }
}
