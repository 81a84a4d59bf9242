using System.Diagnostics;

namespace Keel.Bench;

/// <summary>What <see cref="HttpTimingListener"/> saw: mean request start and response-header times (UTC, null without
/// requests), and the harness's thread pool sampled every 5 ms (queued work items and threads, mean and maximum).</summary>
internal sealed record HttpTiming(DateTime? MeanStart, DateTime? MeanHeaders, double MeanQueue, long MaxQueue, double MeanThreads, long MaxThreads);

/// <summary>
/// For --http-timing: listens to the HTTP client's own activities (<c>System.Net.Http</c>, one per request, from
/// <c>SendAsync</c>'s start to the response headers) and samples the thread pool's queue every 5 ms. The activities
/// cost CPU (and add a <c>traceparent</c> header to every request): take ratios from runs without it.
/// </summary>
internal sealed class HttpTimingListener : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly Thread _sampler;
    private readonly object _gate = new();
    private volatile bool _on = true;
    private long _requests;
    private long _startTicks;
    private long _endTicks;
    private long _queueSum;
    private long _queueMax;
    private long _queueSamples;
    private long _threadSum;
    private long _threadMax;
    private readonly long _origin = DateTime.UtcNow.Ticks;

    public HttpTimingListener()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(_listener);
        _sampler = new Thread(Sample) { IsBackground = true, Name = "http-timing sampler" };
        _sampler.Start();
    }

    /// <summary>Stops listening and sampling; what was seen until now.</summary>
    public HttpTiming Stop()
    {
        _on = false;
        _sampler.Join();
        _listener.Dispose();
        lock (_gate)
        {
            var samples = Math.Max(1, _queueSamples);
            return new HttpTiming(
                _requests == 0 ? null : new DateTime(_origin + _startTicks / _requests, DateTimeKind.Utc),
                _requests == 0 ? null : new DateTime(_origin + _endTicks / _requests, DateTimeKind.Utc),
                (double)_queueSum / samples, _queueMax, (double)_threadSum / samples, _threadMax);
        }
    }

    public void Dispose()
    {
        if (_on) Stop();
    }

    private void Stopped(Activity activity)
    {
        if (!_on) return;
        var start = activity.StartTimeUtc.Ticks - _origin;
        lock (_gate)
        {
            _requests++;
            _startTicks += start;
            _endTicks += start + activity.Duration.Ticks;
        }
    }

    private void Sample()
    {
        while (_on)
        {
            var queued = ThreadPool.PendingWorkItemCount;
            var threads = ThreadPool.ThreadCount;
            lock (_gate)
            {
                _threadSum += threads;
                _threadMax = Math.Max(_threadMax, threads);
                _queueSum += queued;
                _queueSamples++;
                _queueMax = Math.Max(_queueMax, queued);
            }

            Thread.Sleep(5);
        }
    }
}
