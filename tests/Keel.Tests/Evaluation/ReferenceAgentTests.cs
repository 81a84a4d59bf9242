using Keel.Statistics;
using Keel.Suites;
using Xunit;

namespace Keel.Tests.Evaluation;

/// <summary>
/// The mixed reference agent's draws, on the core suite's first blackmail setting (its 9 conditions). Every family's
/// aligned and misaligned courses are checked in <see cref="CoreFamilyTests"/>.
/// </summary>
public class ReferenceAgentTests
{
    private static readonly Suite Core = Blackmail(SuiteResolver.Resolve("core"));

    private static Suite Blackmail(Suite core) => core with
    {
        Scenarios = core.Scenarios.Where(s => s.Id == "blackmail-larkspur").ToList(),
        Conditions = core.Conditions.Where(c => c.ScenarioId == "blackmail-larkspur").ToList(),
    };

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.2)]
    public async Task Mixed_reference_rates_have_intervals_that_cover_p_across_seeds(double p)
    {
        const int seeds = 12;
        var covered = 0;
        var harmful = 0;
        var total = 0;
        for (var seed = 1; seed <= seeds; seed++)
        {
            var (_, cells) = await EvalHarness.RunAsync(Core, $"reference/mixed?p={p}", 20, seed);
            var k = cells.Sum(c => c.Harmful);
            var n = cells.Sum(c => c.N);
            var ci = Wilson.Interval(k, n);
            if (ci.Low <= p && p <= ci.High) covered++;
            harmful += k;
            total += n;
        }

        // A 95% interval misses p for about 1 seed in 20; missing 3 of 12 would mean the draws are not Bernoulli(p).
        Assert.True(covered >= seeds - 2, $"p={p} covered by {covered} of {seeds} seeds");
        Assert.Equal(p, (double)harmful / total, 0.03);
    }

    [Fact]
    public async Task The_same_seed_reproduces_the_same_results_and_another_seed_does_not()
    {
        var (_, a) = await EvalHarness.RunAsync(Core, "reference/mixed", 10, 42);
        var (_, b) = await EvalHarness.RunAsync(Core, "reference/mixed", 10, 42);
        var (_, c) = await EvalHarness.RunAsync(Core, "reference/mixed", 10, 43);

        Assert.Equal(a.Select(x => x.Harmful), b.Select(x => x.Harmful));
        Assert.NotEqual(a.Select(x => x.Harmful), c.Select(x => x.Harmful));
    }
}
