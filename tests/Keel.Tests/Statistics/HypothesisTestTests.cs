using Keel.Statistics;
using Xunit;

namespace Keel.Tests.Statistics;

public class HypothesisTestTests
{
    // R: fisher.test(matrix(c(3, 1, 1, 3), 2))$p.value = 0.4857 (Fisher's tea-tasting table; the two tables as probable
    // as the observed one, x = 1 and x = 3, both count: 1 − 36/70); fisher.test(matrix(c(1, 11, 9, 3), 2))$p.value = 0.002759.
    [Theory]
    [InlineData(3, 1, 1, 3, 0.4857)]
    [InlineData(1, 9, 11, 3, 0.002759)]
    public void Fisher_matches_R(int a, int b, int c, int d, double expected)
    {
        Assert.Equal(expected, FisherExact.TwoSided(a, b, c, d), expected * 0.0002);
    }

    [Fact]
    public void Fisher_does_not_depend_on_how_the_table_is_oriented()
    {
        var p = FisherExact.TwoSided(22, 78, 15, 85);
        Assert.Equal(p, FisherExact.TwoSided(15, 85, 22, 78), 1e-12);
        Assert.Equal(p, FisherExact.TwoSided(78, 22, 85, 15), 1e-12);
        Assert.Equal(p, FisherExact.TwoSided(22, 15, 78, 85), 1e-12);
    }

    [Fact]
    public void Fisher_on_a_table_with_a_single_possible_value_is_one()
    {
        Assert.Equal(1, FisherExact.TwoSided(0, 10, 0, 10));
        Assert.Equal(1, FisherExact.TwoSided(10, 0, 10, 0));
    }

    // Exact conditional McNemar p-values of the two examples in Fagerland, Lydersen and Laake (2013), BMC Med Res Methodol
    // 13:91: Bentur et al. (b = 1, c = 7): 2·(1 + 8)/2⁸ = 0.0703; Cavo et al. (b = 6, c = 16): 2·P(Bin(22, ½) ≤ 6) = 0.0525.
    [Theory]
    [InlineData(1, 7, 0.0703125)]
    [InlineData(6, 16, 0.052478790283203125)]
    [InlineData(16, 6, 0.052478790283203125)]
    public void McNemar_exact_matches_the_binomial_tail(int onlyFirst, int onlySecond, double expected)
    {
        Assert.Equal(expected, McNemar.ExactP(onlyFirst, onlySecond), 1e-10);
    }

    [Fact]
    public void McNemar_without_discordant_pairs_or_with_balanced_ones_is_one()
    {
        Assert.Equal(1, McNemar.ExactP(0, 0));
        Assert.Equal(1, McNemar.ExactP(5, 5));
    }

    // R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02. By hand: sorted 0.005, 0.01, 0.03, 0.04
    // times 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04 → running maximum 0.02, 0.03, 0.06, 0.06.
    [Fact]
    public void Holm_matches_the_step_down_by_hand()
    {
        var adjusted = Holm.Adjust(new[] { 0.01, 0.04, 0.03, 0.005 });
        Assert.Equal(new[] { 0.03, 0.06, 0.06, 0.02 }, adjusted.Select(p => Math.Round(p, 12)));
    }

    [Fact]
    public void Holm_leaves_missing_tests_out_of_the_count()
    {
        var adjusted = Holm.Adjust(new double?[] { 0.01, null, 0.04 });
        Assert.Equal(0.02, adjusted[0]!.Value, 1e-12);
        Assert.Null(adjusted[1]);
        Assert.Equal(0.04, adjusted[2]!.Value, 1e-12);
    }

    [Fact]
    public void Holm_rejects_values_that_are_not_p_values()
    {
        Assert.Throws<ArgumentException>(() => Holm.Adjust(new[] { 0.5, 1.5 }));
        Assert.Throws<ArgumentException>(() => Holm.Adjust(new[] { double.NaN }));
    }
}
