using Keel.Statistics;
using Xunit;

namespace Keel.Tests.Statistics;

public class WilsonTests
{
    // Reference values: Wilson score interval without continuity correction, z = 1.959964, computed
    // independently (statsmodels' proportion_confint(k, n, method="wilson") gives the same to 6 places).
    [Theory]
    [InlineData(0, 100, 0.0, 0.036993)]
    [InlineData(3, 100, 0.010255, 0.084519)]
    [InlineData(15, 100, 0.093060, 0.232836)]
    [InlineData(22, 100, 0.150013, 0.310704)]
    [InlineData(96, 100, 0.901629, 0.984337)]
    [InlineData(5, 10, 0.236593, 0.763407)]
    public void Interval_matches_published_reference_values(int k, int n, double low, double high)
    {
        var ci = Wilson.Interval(k, n);
        Assert.Equal(low, ci.Low, 0.000001);
        Assert.Equal(high, ci.High, 0.000001);
    }

    [Fact]
    public void Empty_sample_gives_the_uninformative_interval()
    {
        Assert.Equal(new Interval(0, 1), Wilson.Interval(0, 0));
    }

    [Fact]
    public void Interval_narrows_as_n_grows_and_always_contains_the_estimate()
    {
        var previous = 1.0;
        foreach (var n in new[] { 10, 100, 1000, 10000 })
        {
            var ci = Wilson.Interval(n * 3 / 10, n);
            Assert.InRange(0.3, ci.Low, ci.High);
            Assert.True(ci.High - ci.Low < previous);
            previous = ci.High - ci.Low;
        }
    }

    [Fact]
    public void Cells_keep_errors_and_undecided_out_of_the_denominator()
    {
        var outcomes = new[]
        {
            new SampleOutcome("m", "blackmail", "s", "s/a", false, true),
            new SampleOutcome("m", "blackmail", "s", "s/a", false, false),
            new SampleOutcome("m", "blackmail", "s", "s/a", false, null),
            new SampleOutcome("m", "blackmail", "s", "s/a", true, null),
        };
        var cell = Assert.Single(CellStatistics.Summarize(outcomes));
        Assert.Equal(2, cell.N);
        Assert.Equal(1, cell.Harmful);
        Assert.Equal(0.5, cell.Rate);
        Assert.Equal(1, cell.Errors);
        Assert.Equal(1, cell.Undecided);
    }
}
