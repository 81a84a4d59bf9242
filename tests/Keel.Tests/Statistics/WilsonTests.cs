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

    // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Stat Med 17:857–872, Table I:
    // 81/263, method 3 (score without continuity correction): 0.2553 to 0.3662.
    [Fact]
    public void Interval_matches_Newcombe_1998_table_I()
    {
        var ci = Wilson.Interval(81, 263);
        Assert.Equal(0.2553, ci.Low, 0.00005);
        Assert.Equal(0.3662, ci.High, 0.00005);
    }

    [Fact]
    public void Interval_at_a_rate_is_the_count_formula_at_whole_counts()
    {
        foreach (var (k, n) in new[] { (1, 7), (15, 100), (22, 100), (99, 100) })
        {
            var byCount = Wilson.Interval(k, n);
            var byRate = Wilson.AtRate((double)k / n, n);
            Assert.Equal(byCount.Low, byRate.Low, 1e-12);
            Assert.Equal(byCount.High, byRate.High, 1e-12);
        }
    }

    [Fact]
    public void Z_for_95_percent_is_the_normal_quantile()
    {
        Assert.Equal(Wilson.Z95, StandardNormal.TwoSidedZ(0.95), 1e-12);
        Assert.Equal(0.8416212335729143, StandardNormal.Quantile(0.8), 1e-12);
        Assert.Equal(2.5758293035489004, StandardNormal.TwoSidedZ(0.99), 1e-12);
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
