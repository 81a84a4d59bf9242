using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Keel.Models.Batch;

/// <summary>How batch mode gathers and waits.</summary>
/// <param name="PollInterval">Time between status checks of a submitted batch.</param>
/// <param name="FlushDelay">
/// Quiet time after the last request before the gathered requests go out as one batch, when the handler does not know
/// which samples are running (no caller marked them with <see cref="BatchingHandler.BeginSample"/>).
/// </param>
/// <param name="MaxBatchSize">Requests per batch at most.</param>
/// <param name="StragglerDelay">
/// When the handler knows the running samples, it sends a turn as soon as every one of them waits on a model call.
/// A sample that has not asked yet (a slow tool call, a judge call on another model) holds the others back at most this
/// long after the last request arrived; then the gathered requests go out without it.
/// </param>
public sealed record BatchOptions(TimeSpan PollInterval, TimeSpan FlushDelay, int MaxBatchSize = 10_000, TimeSpan? StragglerDelay = null)
{
    /// <summary>
    /// Options for a poll interval, with a flush delay of a tenth of it, from 250 ms (a turn's requests can arrive further
    /// apart than a GC pause or a busy moment on a small machine) to 2 s, and a straggler delay of 30 s: nothing against a
    /// batch's minutes to hours, and far longer than any pause between one sample's turns.
    /// </summary>
    public static BatchOptions For(TimeSpan pollInterval) =>
        new(pollInterval, TimeSpan.FromTicks(Math.Clamp(pollInterval.Ticks / 10, TimeSpan.FromMilliseconds(250).Ticks, TimeSpan.FromSeconds(2).Ticks)),
            StragglerDelay: TimeSpan.FromSeconds(30));

    /// <summary>The straggler delay in effect: <see cref="StragglerDelay"/>, or 30 s.</summary>
    public TimeSpan Stragglers => StragglerDelay ?? TimeSpan.FromSeconds(30);
}

/// <summary>
/// Batch mode at the HTTP layer, under the provider SDK: each message request is held, requests that arrive
/// together (every sample's next turn) go out as one provider batch, and each caller gets its own result
/// back as an ordinary response, so the agent loop and SDK are unchanged and multi-turn samples advance in
/// lockstep, one batch per turn. Batch ids and request keys are stored first, so a restarted process waits
/// for the batches already in flight instead of paying for them twice.
/// </summary>
/// <remarks>
/// A turn goes out when every running sample waits on a model call (the runner marks samples with
/// <see cref="BeginSample"/>): its new request, or a batch already in flight after a restart. A sample that finishes
/// without another turn stops counting. Without marked samples, or when a sample has not asked within
/// <see cref="BatchOptions.StragglerDelay"/>, the requests go out after a quiet <see cref="BatchOptions.FlushDelay"/> or
/// straggler delay respectively.
/// </remarks>
public sealed class BatchingHandler(IBatchProtocol protocol, IBatchStore store, string model, BatchOptions options, HttpMessageHandler inner)
    : DelegatingHandler(inner)
{
    private readonly object _gate = new();
    private readonly ConcurrentDictionary<string, Task<IReadOnlyDictionary<string, string?>>> _pollers = new(StringComparer.Ordinal);
    private List<Pending> _pending = [];
    private long _lastArrival;
    private bool _flushScheduled;
    private int _live;
    private int _recovering;
    private readonly Dictionary<string, int> _recoveringOn = new(StringComparer.Ordinal);
    private bool _tracked;

    private sealed record Pending(string Key, string Body, BatchTransport Transport, TaskCompletionSource<string> Result);

    private int _batchesSubmitted;

    /// <summary>Batches submitted by this handler.</summary>
    public int BatchesSubmitted => Volatile.Read(ref _batchesSubmitted);

    /// <summary>
    /// Marks a sample as running until the returned handle is disposed: while it runs, a turn waits for its request (up to
    /// the straggler delay) so that every sample's turn goes out in one batch.
    /// </summary>
    public IDisposable BeginSample()
    {
        lock (_gate)
        {
            _tracked = true;
            _live++;
        }

        return new RunningSample(this);
    }

    private sealed class RunningSample(BatchingHandler handler) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0) handler.Change(live: -1, recovering: 0);
        }
    }

    /// <summary>Counts a sample starting, ending, or waiting on a batch already in flight; sends the turn when every running sample now waits.</summary>
    private void Change(int live, int recovering)
    {
        List<Pending>? batch = null;
        lock (_gate)
        {
            _live += live;
            _recovering += recovering;
            if (EveryoneWaits()) batch = TakeBatch();
        }

        if (batch is not null) _ = Task.Run(() => SubmitAsync(batch), CancellationToken.None);
    }

    /// <summary>A sample waits on a batch submitted before a restart: it counts as waiting until that batch ends.</summary>
    private void Recovering(string batchId)
    {
        lock (_gate) _recoveringOn[batchId] = _recoveringOn.GetValueOrDefault(batchId) + 1;
        Change(live: 0, recovering: 1);
    }

    /// <summary>
    /// A sample stops waiting on a batch from before a restart. When the batch has ended, every sample that waited on it
    /// stops counting as waiting at once, before any of them can ask for its next turn: were each to stop counting only
    /// when it got back here, the first to ask again would be joined by the others' stale counts and go out alone. A
    /// sample cancelled while the batch is still running stops counting alone.
    /// </summary>
    private void Recovered(string batchId, bool batchEnded)
    {
        int stopped;
        lock (_gate)
        {
            if (!_recoveringOn.TryGetValue(batchId, out var waiting)) return;
            stopped = batchEnded ? waiting : 1;
            if (waiting == stopped) _recoveringOn.Remove(batchId);
            else _recoveringOn[batchId] = waiting - stopped;
        }

        Change(live: 0, recovering: -stopped);
    }

    /// <summary>True when the gathered requests, with the samples waiting on a batch in flight, are every running sample (under the lock).</summary>
    private bool EveryoneWaits() => _tracked && _pending.Count > 0 && _pending.Count + _recovering >= _live;

    /// <summary>Takes up to a batch of the gathered requests (under the lock).</summary>
    private List<Pending> TakeBatch()
    {
        var batch = _pending.Take(options.MaxBatchSize).ToList();
        _pending = _pending.Skip(batch.Count).ToList();
        return batch;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!protocol.IsBatchable(request) || request.Content is null) return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);

        var body = await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{SampleScope.Current}\n{body}")));
        var transport = TransportFor(request);

        if (await store.FindAsync(model, key, cancellationToken).ConfigureAwait(false) is { } known)
        {
            if (known.ResponseBody is { } done) return Ok(request, done);
            IReadOnlyDictionary<string, string?> results;
            var poll = PollUntilEndedAsync(transport, known.BatchId);
            Recovering(known.BatchId);
            try
            {
                results = await poll.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Recovered(known.BatchId, poll.IsCompleted);
            }

            if (results.GetValueOrDefault(known.CustomId) is { } finished) return Ok(request, finished);
        }

        var pending = new Pending(key, body, transport, new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
        List<Pending>? now = null;
        lock (_gate)
        {
            _pending.Add(pending);
            _lastArrival = System.Environment.TickCount64;
            if (EveryoneWaits() || _pending.Count >= options.MaxBatchSize)
            {
                now = TakeBatch();
            }
            else if (!_flushScheduled)
            {
                _flushScheduled = true;
                _ = Task.Run(FlushWhenQuietAsync, CancellationToken.None);
            }
        }

        if (now is not null) _ = Task.Run(() => SubmitAsync(now), CancellationToken.None);

        return Ok(request, await pending.Result.Task.WaitAsync(cancellationToken).ConfigureAwait(false));
    }

    private async Task FlushWhenQuietAsync()
    {
        while (true)
        {
            await Task.Delay(options.FlushDelay).ConfigureAwait(false);
            List<Pending> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _flushScheduled = false;
                    return;
                }

                var wait = _tracked ? options.Stragglers : options.FlushDelay;
                var quiet = System.Environment.TickCount64 - _lastArrival >= (long)wait.TotalMilliseconds;
                if (!quiet && _pending.Count < options.MaxBatchSize) continue;
                batch = TakeBatch();
                _flushScheduled = _pending.Count > 0;
            }

            _ = Task.Run(() => SubmitAsync(batch), CancellationToken.None);
            if (!_flushScheduled) return;
        }
    }

    private async Task SubmitAsync(List<Pending> batch)
    {
        try
        {
            var items = batch.Select((p, i) => (CustomId: $"k{i}-{p.Key[..32]}", p)).ToList();
            var batchId = await protocol.SubmitAsync(batch[0].Transport, items.Select(x => (x.CustomId, x.p.Body)).ToList(), CancellationToken.None).ConfigureAwait(false);
            Interlocked.Increment(ref _batchesSubmitted);
            await store.AddBatchAsync(model, batchId, items.Select(x => (x.p.Key, x.CustomId)).ToList(), CancellationToken.None).ConfigureAwait(false);
            var results = await PollUntilEndedAsync(batch[0].Transport, batchId).ConfigureAwait(false);
            foreach (var (customId, p) in items)
            {
                if (results.GetValueOrDefault(customId) is { } body) p.Result.TrySetResult(body);
                else p.Result.TrySetException(new HttpRequestException($"batch {batchId}: the provider reported request {customId} as failed"));
            }
        }
        catch (Exception ex)
        {
            foreach (var p in batch) p.Result.TrySetException(ex);
        }
    }

    /// <summary>One poller per batch, shared by everyone waiting on it; a poller that failed is dropped so the next wait starts afresh.</summary>
    private Task<IReadOnlyDictionary<string, string?>> PollUntilEndedAsync(BatchTransport transport, string batchId) =>
        _pollers.GetOrAdd(batchId, id => Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var poll = await protocol.PollAsync(transport, id, CancellationToken.None).ConfigureAwait(false);
                    if (poll is { Ended: true, Results: { } results })
                    {
                        await store.CompleteBatchAsync(id, results, CancellationToken.None).ConfigureAwait(false);
                        return results;
                    }

                    await Task.Delay(options.PollInterval).ConfigureAwait(false);
                }
            }
            catch
            {
                _pollers.TryRemove(id, out _);
                throw;
            }
        }));

    private BatchTransport TransportFor(HttpRequestMessage request)
    {
        var uri = request.RequestUri!;
        var path = uri.AbsolutePath;
        var apiPath = path.EndsWith("/chat/completions", StringComparison.Ordinal) ? path[..^"chat/completions".Length] : path[..^"messages".Length];
        var apiBase = new Uri(uri, apiPath);
        var headers = request.Headers.Where(h => !h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)).ToList();
        return new BatchTransport((r, ct) => base.SendAsync(r, ct), apiBase, headers);
    }

    private static HttpResponseMessage Ok(HttpRequestMessage request, string body) =>
        new(System.Net.HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json"), RequestMessage = request };
}
