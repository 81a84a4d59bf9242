using Keel.Statistics;
using Xunit;

namespace Keel.Tests.Statistics;

public class NewcombeTests
{
    // Newcombe (1998), "Interval estimation for the difference between independent proportions: comparison of eleven
    // methods", Stat Med 17:873–890, Table II, method 10 (hybrid score): (a) 56/70 − 48/80 = 0.2000, 0.0524 to 0.3339;
    // (b) 9/10 − 3/10 = 0.6000, 0.1705 to 0.8090.
    [Theory]
    [InlineData(56, 70, 48, 80, 0.0524, 0.3339)]
    [InlineData(9, 10, 3, 10, 0.1705, 0.8090)]
    public void Difference_matches_Newcombe_1998_table_II(int h1, int n1, int h2, int n2, double low, double high)
    {
        var ci = Newcombe.Difference(h1, n1, h2, n2);
        Assert.Equal(low, ci.Low, 0.00005);
        Assert.Equal(high, ci.High, 0.00005);
    }

    // Fagerland, Lydersen and Laake (2017), Statistical Analysis of Contingency Tables, ch. 8, complete response before
    // and after consolidation therapy (Cavo et al. 2012), pairs [[59, 6], [16, 80]]: Newcombe square-and-add
    // estimate −0.0621, 95% CI −0.1186 to −0.0046 (the value the book's R package contingencytables tests against).
    [Fact]
    public void Paired_difference_matches_the_Cavo_example()
    {
        var ci = Newcombe.PairedDifference(59, 6, 16, 80);
        Assert.Equal(-0.1186, ci.Low, 0.00005);
        Assert.Equal(-0.0046, ci.High, 0.00005);
        var paired = PairedComparison.FromTable(59, 6, 16, 80);
        Assert.Equal(-0.0621, paired.Difference!.Value, 0.00005);
    }

    [Fact]
    public void Paired_interval_with_uncorrelated_margins_is_the_independent_square_and_add()
    {
        // a·d − b·c = 0 gives φ = 0: the paired formula reduces to square-and-add of the two margins' Wilson intervals.
        var paired = Newcombe.PairedDifference(10, 10, 10, 10);
        var margin = Wilson.Interval(20, 40);
        var half = Math.Sqrt(2) * (0.5 - margin.Low);
        Assert.Equal(-half, paired.Low, 1e-12);
        Assert.Equal(half, paired.High, 1e-12);
    }

    [Fact]
    public void A_group_without_samples_has_no_difference()
    {
        var ex = Assert.Throws<ArgumentException>(() => Newcombe.Difference(0, 0, 3, 10));
        Assert.Contains("first group has no samples", ex.Message);
        Assert.Throws<ArgumentException>(() => Newcombe.PairedDifference(0, 0, 0, 0));
    }
}
