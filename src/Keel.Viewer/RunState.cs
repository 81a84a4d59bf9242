using System.Collections.Concurrent;
using Keel.Evaluation;
using Keel.Reports;
using Keel.Store;

namespace Keel.Viewer;

/// <summary>
/// What the pages show of one run at one revision (<see cref="KeelStore.RunRevisionAsync"/>): its record, its line of the
/// run list, its filter choices, the counts of the filters asked for, its report and its charts. Each is computed on
/// first use, once however many requests ask at the same time, and kept while the run's revision stays the same: any
/// write to the run's samples or config makes <see cref="ViewerData"/> start a new state. A computation that fails is
/// tried again by the next request.
/// </summary>
internal sealed class RunState
{
    /// <summary>Counts kept per state at most; past it, the oldest are dropped (a count is one index scan).</summary>
    private const int MaxCounts = 256;

    private readonly KeelStore _store;
    private readonly CancellationToken _stopping;
    private readonly Action<Task> _started;
    private readonly Shared<RunRecord?> _run;
    private readonly Shared<RunListing?> _listing;
    private readonly Shared<RunFacets> _facets;
    private readonly Shared<(RunReport Report, IReadOnlyList<Chart> Charts)> _report;
    private readonly ConcurrentDictionary<SampleQuery, Shared<int>> _counts = new();
    private readonly ConcurrentQueue<SampleQuery> _countOrder = new();

    public RunState(KeelStore store, string runId, long revision, CancellationToken stopping, Action<Task> started)
    {
        _store = store;
        _stopping = stopping;
        _started = started;
        RunId = runId;
        Revision = revision;
        _run = new(ct => store.GetRunAsync(runId, ct));
        _listing = new(ct => store.RunListingAsync(runId, ct));
        _facets = new(ct => store.FacetsAsync(runId, ct));
        _report = new(async ct =>
        {
            var report = await RunReportBuilder.LoadAsync(store, runId, cancellationToken: ct).ConfigureAwait(false);
            return (report, ReportCharts.Plan([report]).Select(p => new Chart(p)).ToList());
        });
    }

    /// <summary>The run.</summary>
    public string RunId { get; }

    /// <summary>The revision this state shows.</summary>
    public long Revision { get; }

    /// <summary>The run's record; null if it went away.</summary>
    public Task<RunRecord?> RunAsync(CancellationToken cancellationToken) => _run.GetAsync(_stopping, _started, cancellationToken);

    /// <summary>Its line of the run list; null if it went away.</summary>
    public Task<RunListing?> ListingAsync(CancellationToken cancellationToken) => _listing.GetAsync(_stopping, _started, cancellationToken);

    /// <summary>Its filter choices.</summary>
    public Task<RunFacets> FacetsAsync(CancellationToken cancellationToken) => _facets.GetAsync(_stopping, _started, cancellationToken);

    /// <summary>Its report and its charts (each drawn when first asked for, by <see cref="Chart.Png"/>).</summary>
    public Task<(RunReport Report, IReadOnlyList<Chart> Charts)> ReportAsync(CancellationToken cancellationToken) => _report.GetAsync(_stopping, _started, cancellationToken);

    /// <summary>How many of its samples match <paramref name="query"/>'s filters and search.</summary>
    public Task<int> CountAsync(SampleQuery query, CancellationToken cancellationToken)
    {
        // The order and the page do not change the count.
        var key = query with { Sort = SampleSort.Stored, Descending = false, Page = 1, PageSize = 1 };
        var shared = _counts.GetOrAdd(key, k =>
        {
            _countOrder.Enqueue(k);
            return new Shared<int>(ct => _store.CountSamplesAsync(k, ct));
        });
        while (_counts.Count > MaxCounts && _countOrder.TryDequeue(out var oldest)) _counts.TryRemove(oldest, out _);
        return shared.GetAsync(_stopping, _started, cancellationToken);
    }

    /// <summary>One chart of the report, drawn once when first asked for.</summary>
    public sealed class Chart(ChartPlan plan)
    {
        private readonly Lazy<byte[]> _png = new(plan.Render);

        /// <summary>Its title and alt text.</summary>
        public ChartPlan Plan => plan;

        /// <summary>The image.</summary>
        public byte[] Png => _png.Value;
    }

    /// <summary>
    /// A value computed once for everyone who asks: the computation runs under the viewer's lifetime token (a request
    /// that gives up does not cancel it for the others; <paramref name="started"/> lets the viewer wait for it when it
    /// stops), each caller waits with its own token, and a failed or cancelled computation is started again by the next caller.
    /// </summary>
    private sealed class Shared<T>(Func<CancellationToken, Task<T>> compute)
    {
        private readonly Lock _lock = new();
        private Task<T>? _task;

        public Task<T> GetAsync(CancellationToken stopping, Action<Task> started, CancellationToken cancellationToken)
        {
            Task<T> task;
            lock (_lock)
            {
                if (_task is null || _task.IsFaulted || _task.IsCanceled)
                {
                    _task = Task.Run(() => compute(stopping), stopping);
                    started(_task);
                }

                task = _task;
            }

            return task.WaitAsync(cancellationToken);
        }
    }
}
