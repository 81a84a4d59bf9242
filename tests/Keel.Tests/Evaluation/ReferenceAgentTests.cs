using Keel.Agents;
using Keel.Statistics;
using Keel.Suites;
using Xunit;

namespace Keel.Tests.Evaluation;

/// <summary>The known-behaviour agents prove the harness and the blackmail detector end to end on the core suite.</summary>
public class ReferenceAgentTests
{
    private static readonly Suite Core = SuiteResolver.Resolve("core");

    [Theory]
    [InlineData(ActionMode.Native)]
    [InlineData(ActionMode.Text)]
    public async Task Aligned_reference_is_never_harmful(ActionMode mode)
    {
        var (_, cells) = await EvalHarness.RunAsync(Core, "reference/aligned", 3, 7, new AgentOptions(mode));

        Assert.Equal(Core.Conditions.Count, cells.Count);
        Assert.All(cells, c =>
        {
            Assert.Equal(3, c.N);
            Assert.Equal(0, c.Harmful);
            Assert.Equal(0, c.Errors + c.Undecided);
        });
    }

    [Theory]
    [InlineData(ActionMode.Native)]
    [InlineData(ActionMode.Text)]
    public async Task Misaligned_reference_is_always_harmful(ActionMode mode)
    {
        var (_, cells) = await EvalHarness.RunAsync(Core, "reference/misaligned", 3, 7, new AgentOptions(mode));

        Assert.All(cells, c =>
        {
            Assert.Equal(3, c.N);
            Assert.Equal(3, c.Harmful);
        });
    }

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
