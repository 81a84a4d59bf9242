using Keel.Statistics;
using Xunit;

namespace Keel.Tests.Statistics;

public class SampleSizeTests
{
    // R's documentation of power.prop.test: power.prop.test(p1 = .50, p2 = .75, power = .90) gives n = 76.7 per group.
    // By hand (Fleiss, no correction): p̄ = .625; 1.959964·√(2·.625·.375) = 1.341896; 1.281552·√(.25 + .1875) = 0.847665;
    // (2.189561)² / .25² = 76.707.
    [Fact]
    public void Uncorrected_n_matches_R_power_prop_test()
    {
        var plan = SampleSize.TwoProportions(0.50, 0.75, power: 0.90);
        Assert.Equal(76.707, plan.Uncorrected, 0.001);
        Assert.Equal(77, plan.PerGroup);
    }

    // p1 .22 vs p2 .15, two-sided α .05, power .8, by hand:
    // p̄ = .185, √(2·.185·.815) = 0.549136, × 1.959964 = 1.076287; √(.22·.78 + .15·.85) = √.2991 = 0.546900, × 0.841621 = 0.460284;
    // n = (1.536571)² / .07² = 481.85 → 482. Continuity correction (Fleiss, Tytun and Ury 1980):
    // n/4 · (1 + √(1 + 4/(481.85 · .07)))² = 120.46 · (1 + 1.057634)² = 510.02 → 511.
    [Fact]
    public void Plan_for_022_against_015_matches_the_Fleiss_formula_by_hand()
    {
        var plan = SampleSize.TwoProportions(0.22, 0.15);
        Assert.Equal(481.85, plan.Uncorrected, 0.01);
        Assert.Equal(510.02, plan.Corrected, 0.01);
        Assert.Equal(482, plan.PerGroup);
        Assert.Equal(511, plan.PerGroupCorrected);
        Assert.Equal(plan.Uncorrected, SampleSize.TwoProportions(0.15, 0.22).Uncorrected, 1e-9);
    }

    [Fact]
    public void One_sided_needs_fewer_samples_with_z_of_alpha_instead_of_alpha_over_two()
    {
        // z = 1.644854 instead of 1.959964: (1.644854·0.549136 + 0.460284)² / .0049 = 379.43.
        var plan = SampleSize.TwoProportions(0.22, 0.15, twoSided: false);
        Assert.Equal(379.43, plan.Uncorrected, 0.01);
    }

    [Fact]
    public void Family_advice_spreads_the_group_over_its_conditions()
    {
        var plan = SampleSize.TwoProportions(0.22, 0.15);
        var rows = plan.ForFamilies([("blackmail", 17), ("leaking", 14), ("tiny", 1000)]);
        Assert.Equal(new[] { 31, 37, 1 }, rows.Select(r => r.SamplesPerCondition));
        Assert.All(rows, r => Assert.True(r.SamplesPerGroup >= plan.PerGroupCorrected));
        Assert.All(rows, r => Assert.True((r.SamplesPerCondition - 1) * r.Conditions < plan.PerGroupCorrected, "one fewer per condition falls short"));
    }

    // At p = ½ the Wilson width is z/√(n + z²), so n ≥ z²/W² − z²: for W = 0.1, 384.15 − 3.84 = 380.3 → 381.
    [Fact]
    public void Width_plan_at_one_half_matches_the_closed_form()
    {
        var plan = SampleSize.WilsonWidth(0.1, 0.5);
        Assert.Equal(381, plan.Samples);
        Assert.True(plan.Expected.Width <= 0.1);
        Assert.True(Wilson.AtRate(0.5, 380).Width > 0.1);
    }

    [Theory]
    [InlineData(0.05, 0.2)]
    [InlineData(0.2, 0.03)]
    [InlineData(0.02, 0.9)]
    public void Width_plan_is_the_smallest_n_that_reaches_the_width(double width, double rate)
    {
        var plan = SampleSize.WilsonWidth(width, rate);
        Assert.True(Wilson.AtRate(rate, plan.Samples).Width <= width);
        Assert.True(plan.Samples == 1 || Wilson.AtRate(rate, plan.Samples - 1).Width > width);
    }

    [Theory]
    [InlineData(0, 0.1, 0.05, 0.8)]
    [InlineData(0.2, 1, 0.05, 0.8)]
    [InlineData(0.2, 0.1, 0, 0.8)]
    [InlineData(0.2, 0.1, 0.05, 1)]
    [InlineData(0.2, 0.2, 0.05, 0.8)]
    [InlineData(double.NaN, 0.2, 0.05, 0.8)]
    public void Impossible_plans_are_refused(double p1, double p2, double alpha, double power)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.TwoProportions(p1, p2, alpha, power));
    }
}
