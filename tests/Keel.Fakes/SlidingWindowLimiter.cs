namespace Keel.Fakes;

/// <summary>
/// Admits at most <c>limit</c> requests in any window of <c>window</c>: a ring of the admission times of the last
/// <c>limit</c> admitted requests; a request is admitted if the oldest of them has left the window. O(1) under a short lock.
/// </summary>
internal sealed class SlidingWindowLimiter
{
    private readonly long[] _admitted;
    private readonly long _windowTicks;
    private readonly TimeProvider _time;
    private int _oldest;

    public SlidingWindowLimiter(int limit, TimeSpan window, TimeProvider time)
    {
        Limit = limit;
        Window = window;
        _time = time;
        _windowTicks = (long)(window.TotalSeconds * time.TimestampFrequency);
        _admitted = new long[limit];
        Array.Fill(_admitted, time.GetTimestamp() - _windowTicks);
    }

    public int Limit { get; }

    public TimeSpan Window { get; }

    /// <summary>Admits a request now, or says how long until a slot frees.</summary>
    public bool TryAcquire(out TimeSpan retryAfter)
    {
        long frees;
        var now = _time.GetTimestamp();
        lock (_admitted)
        {
            frees = _admitted[_oldest] + _windowTicks;
            if (now >= frees)
            {
                _admitted[_oldest] = now;
                _oldest = (_oldest + 1) % _admitted.Length;
                retryAfter = TimeSpan.Zero;
                return true;
            }
        }

        retryAfter = _time.GetElapsedTime(now, frees);
        return false;
    }
}
