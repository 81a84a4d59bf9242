using Keel.Models.Http;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Keel.Tests.Models;

public class AdaptiveConcurrencyLimiterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Overload_halves_the_limit_once_per_cool_down_and_never_below_the_minimum()
    {
        var time = new FakeTimeProvider();
        var limiter = new AdaptiveConcurrencyLimiter(3, 64, TimeSpan.FromSeconds(1), time);

        limiter.OnOverload();
        limiter.OnOverload(); // Same burst: ignored.
        Assert.Equal(32, limiter.Limit);

        for (var i = 0; i < 10; i++)
        {
            time.Advance(TimeSpan.FromSeconds(2));
            limiter.OnOverload();
        }

        Assert.Equal(3, limiter.Limit);
    }

    [Fact]
    public void Successes_grow_the_limit_by_about_one_per_limit_of_them_up_to_the_maximum()
    {
        var time = new FakeTimeProvider();
        var limiter = new AdaptiveConcurrencyLimiter(1, 20, TimeSpan.Zero, time);
        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            limiter.OnOverload();
        }

        Assert.Equal(1, limiter.Limit);
        for (var i = 0; i < 10; i++) limiter.OnSuccess(); // 1 → 2 → 2.5 → 2.9 → … about sqrt(2n)
        Assert.InRange(limiter.Limit, 3, 5);
        for (var i = 0; i < 10_000; i++) limiter.OnSuccess();
        Assert.Equal(20, limiter.Limit);
    }

    [Fact]
    public async Task Waiters_queue_beyond_the_limit_and_enter_as_slots_free()
    {
        var limiter = new AdaptiveConcurrencyLimiter(1, 2);
        var a = await limiter.AcquireAsync(Ct);
        var b = await limiter.AcquireAsync(Ct);
        var c = limiter.AcquireAsync(Ct).AsTask();

        Assert.False(c.IsCompleted);
        Assert.Equal(2, limiter.InFlight);
        a.Dispose();
        (await c).Dispose();
        b.Dispose();
        Assert.Equal(0, limiter.InFlight);
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue_without_taking_a_slot()
    {
        var limiter = new AdaptiveConcurrencyLimiter(1, 1);
        var held = await limiter.AcquireAsync(Ct);
        using var cts = new CancellationTokenSource();
        var waiting = limiter.AcquireAsync(cts.Token).AsTask();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        held.Dispose();

        Assert.Equal(0, limiter.InFlight);
        (await limiter.AcquireAsync(Ct)).Dispose();
    }
}
