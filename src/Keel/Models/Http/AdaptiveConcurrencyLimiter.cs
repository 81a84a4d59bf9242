namespace Keel.Models.Http;

/// <summary>
/// Additive-increase, multiplicative-decrease concurrency for one endpoint: the limit halves on an
/// overload signal (429, 529, 503; at most once per cool-down, so one burst of rejections counts once)
/// and grows by about one per limit's worth of successes, always within [min, max].
/// </summary>
public sealed class AdaptiveConcurrencyLimiter
{
    private readonly object _gate = new();
    private readonly LinkedList<TaskCompletionSource<Lease>> _waiters = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _coolDown;
    private double _limit;
    private int _inFlight;
    private long _lastDecrease = long.MinValue;

    /// <summary>Creates a limiter starting at <paramref name="max"/>.</summary>
    public AdaptiveConcurrencyLimiter(int min, int max, TimeSpan? coolDown = null, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(min, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        Min = min;
        Max = max;
        _limit = max;
        _coolDown = coolDown ?? TimeSpan.FromSeconds(1);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Lower bound.</summary>
    public int Min { get; }

    /// <summary>Upper bound.</summary>
    public int Max { get; }

    /// <summary>The current limit (whole requests).</summary>
    public int Limit
    {
        get
        {
            lock (_gate) return (int)_limit;
        }
    }

    /// <summary>Requests currently holding a slot.</summary>
    public int InFlight
    {
        get
        {
            lock (_gate) return _inFlight;
        }
    }

    /// <summary>Waits for a slot; dispose the lease to give it back.</summary>
    public ValueTask<Lease> AcquireAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<Lease> waiter;
        LinkedListNode<TaskCompletionSource<Lease>> node;
        lock (_gate)
        {
            if (_inFlight < (int)_limit && _waiters.Count == 0)
            {
                _inFlight++;
                return ValueTask.FromResult(new Lease(this));
            }

            waiter = new TaskCompletionSource<Lease>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiters.AddLast(waiter);
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                lock (_gate)
                {
                    if (node.List is null) return;
                    _waiters.Remove(node);
                }

                waiter.TrySetCanceled(cancellationToken);
            });
            _ = waiter.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }

        return new ValueTask<Lease>(waiter.Task);
    }

    /// <summary>A request succeeded: grow the limit additively.</summary>
    public void OnSuccess()
    {
        lock (_gate)
        {
            _limit = Math.Min(Max, _limit + 1.0 / _limit);
            WakeWaiters();
        }
    }

    /// <summary>The endpoint said it is overloaded: halve the limit (once per cool-down).</summary>
    public void OnOverload()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            if (_lastDecrease != long.MinValue && _time.GetElapsedTime(_lastDecrease, now) < _coolDown) return;
            _lastDecrease = now;
            _limit = Math.Max(Min, _limit / 2);
        }
    }

    private void Release()
    {
        lock (_gate)
        {
            _inFlight--;
            WakeWaiters();
        }
    }

    private void WakeWaiters()
    {
        while (_inFlight < (int)_limit && _waiters.First is { } first)
        {
            _waiters.RemoveFirst();
            _inFlight++;
            if (!first.Value.TrySetResult(new Lease(this))) _inFlight--;
        }
    }

    /// <summary>A held slot.</summary>
    public readonly struct Lease(AdaptiveConcurrencyLimiter owner) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => owner?.Release();
    }
}
