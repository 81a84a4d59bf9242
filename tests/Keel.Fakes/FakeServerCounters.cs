namespace Keel.Fakes;

/// <summary>Lock-free counters of a <see cref="FakeProviderServer"/>: requests, requests in flight, and each outcome.</summary>
public sealed class FakeServerCounters
{
    private static readonly int OutcomeCount = Enum.GetValues<FakeOutcome>().Length;
    private readonly long[] _outcomes = new long[OutcomeCount];
    private long _requests;
    private long _inFlight;
    private long _delays;
    private long _lateTicks;
    private long _arrivalTicks;
    private long _replies;
    private long _replyTicks;

    /// <summary>Requests received.</summary>
    public long Requests => Volatile.Read(ref _requests);

    /// <summary>Requests being handled now (a cancelled hang leaves this).</summary>
    public long InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Requests answered with the scripted reply.</summary>
    public long Successes => this[FakeOutcome.Success];

    /// <summary>Requests that ended with <paramref name="outcome"/> (counted when it is decided, before any latency).</summary>
    public long this[FakeOutcome outcome] => Volatile.Read(ref _outcomes[(int)outcome]);

    /// <summary>Replies delayed by the plan's latency since the last <see cref="Reset"/>.</summary>
    public long Delays => Volatile.Read(ref _delays);

    /// <summary>
    /// How much later than the plan's latency those delays ended, in total (timer lateness: a loaded machine wakes the
    /// server late, which a client sees as extra latency).
    /// </summary>
    public TimeSpan Late => TimeSpan.FromTicks(Volatile.Read(ref _lateTicks));

    /// <summary>
    /// The wall-clock origin of <see cref="MeanArrival"/> and <see cref="MeanReply"/>'s sums (UTC ticks at construction),
    /// so the sums stay far from overflow.
    /// </summary>
    private readonly long _origin = DateTime.UtcNow.Ticks;

    /// <summary>
    /// The mean wall-clock time requests arrived (their headers parsed) since the last <see cref="Reset"/>, or null before
    /// any did. A benchmark in another process compares it with its own clock to split a call's time into client and server parts.
    /// </summary>
    public DateTime? MeanArrival => MeanOf(Requests, Volatile.Read(ref _arrivalTicks));

    /// <summary>The mean wall-clock time successful replies were handed to the server to send, or null before any.</summary>
    public DateTime? MeanReply => MeanOf(Volatile.Read(ref _replies), Volatile.Read(ref _replyTicks));

    /// <summary>Every outcome with its count.</summary>
    public IReadOnlyDictionary<FakeOutcome, long> Snapshot() => Enum.GetValues<FakeOutcome>().ToDictionary(o => o, o => this[o]);

    /// <summary>Sets every counter but <see cref="InFlight"/> to zero.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _delays, 0);
        Interlocked.Exchange(ref _lateTicks, 0);
        Interlocked.Exchange(ref _arrivalTicks, 0);
        Interlocked.Exchange(ref _replies, 0);
        Interlocked.Exchange(ref _replyTicks, 0);
        for (var i = 0; i < _outcomes.Length; i++) Interlocked.Exchange(ref _outcomes[i], 0);
    }

    internal void Received()
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _inFlight);
        Interlocked.Add(ref _arrivalTicks, DateTime.UtcNow.Ticks - _origin);
    }

    internal void Replied()
    {
        Interlocked.Increment(ref _replies);
        Interlocked.Add(ref _replyTicks, DateTime.UtcNow.Ticks - _origin);
    }

    private DateTime? MeanOf(long count, long ticks) => count == 0 ? null : new DateTime(_origin + ticks / count, DateTimeKind.Utc);

    internal void Delayed(TimeSpan late)
    {
        Interlocked.Increment(ref _delays);
        Interlocked.Add(ref _lateTicks, Math.Max(0, late.Ticks));
    }

    internal void Done() => Interlocked.Decrement(ref _inFlight);

    internal void Count(FakeOutcome outcome) => Interlocked.Increment(ref _outcomes[(int)outcome]);
}
