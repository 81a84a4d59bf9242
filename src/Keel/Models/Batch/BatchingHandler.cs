using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Keel.Models.Batch;

/// <summary>How batch mode gathers and waits.</summary>
/// <param name="PollInterval">Time between status checks of a submitted batch.</param>
/// <param name="FlushDelay">Quiet time after the last request before the gathered requests go out as one batch.</param>
/// <param name="MaxBatchSize">Requests per batch at most.</param>
public sealed record BatchOptions(TimeSpan PollInterval, TimeSpan FlushDelay, int MaxBatchSize = 10_000)
{
    /// <summary>
    /// Options for a poll interval, with a flush delay of a tenth of it, from 250 ms (a turn's requests can arrive further
    /// apart than a GC pause or a busy moment on a small machine) to 2 s.
    /// </summary>
    public static BatchOptions For(TimeSpan pollInterval) =>
        new(pollInterval, TimeSpan.FromTicks(Math.Clamp(pollInterval.Ticks / 10, TimeSpan.FromMilliseconds(250).Ticks, TimeSpan.FromSeconds(2).Ticks)));
}

/// <summary>
/// Batch mode at the HTTP layer, under the provider SDK: each message request is held, requests that arrive
/// together (every sample's next turn) go out as one provider batch, and each caller gets its own result
/// back as an ordinary response, so the agent loop and SDK are unchanged and multi-turn samples advance in
/// lockstep, one batch per turn. Batch ids and request keys are stored first, so a restarted process waits
/// for the batches already in flight instead of paying for them twice.
/// </summary>
public sealed class BatchingHandler(IBatchProtocol protocol, IBatchStore store, string model, BatchOptions options, HttpMessageHandler inner)
    : DelegatingHandler(inner)
{
    private readonly object _gate = new();
    private readonly ConcurrentDictionary<string, Task<IReadOnlyDictionary<string, string?>>> _pollers = new(StringComparer.Ordinal);
    private List<Pending> _pending = [];
    private long _lastArrival;
    private bool _flushScheduled;

    private sealed record Pending(string Key, string Body, BatchTransport Transport, TaskCompletionSource<string> Result);

    private int _batchesSubmitted;

    /// <summary>Batches submitted by this handler.</summary>
    public int BatchesSubmitted => Volatile.Read(ref _batchesSubmitted);

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
            var results = await PollUntilEndedAsync(transport, known.BatchId).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (results.GetValueOrDefault(known.CustomId) is { } finished) return Ok(request, finished);
        }

        var pending = new Pending(key, body, transport, new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_gate)
        {
            _pending.Add(pending);
            _lastArrival = System.Environment.TickCount64;
            if (!_flushScheduled)
            {
                _flushScheduled = true;
                _ = Task.Run(FlushWhenQuietAsync, CancellationToken.None);
            }
        }

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
                var quiet = System.Environment.TickCount64 - _lastArrival >= (long)options.FlushDelay.TotalMilliseconds;
                if (!quiet && _pending.Count < options.MaxBatchSize) continue;
                batch = _pending.Take(options.MaxBatchSize).ToList();
                _pending = _pending.Skip(batch.Count).ToList();
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
