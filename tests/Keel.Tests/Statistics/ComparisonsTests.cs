using Keel.Statistics;
using Xunit;

namespace Keel.Tests.Statistics;

public class ComparisonsTests
{
    private static ConditionCounts C(string family, string condition, int n, int harmful) => new(family, condition, n, harmful);

    private static void Close(Interval expected, Interval actual)
    {
        Assert.Equal(expected.Low, actual.Low, 1e-12);
        Assert.Equal(expected.High, actual.High, 1e-12);
    }

    [Fact]
    public void Proportion_comparison_puts_Newcombe_Fisher_and_effects_together()
    {
        var c = ProportionComparison.Of(56, 70, 48, 80);
        Assert.Equal(0.2, c.Difference, 1e-12);
        Close(Newcombe.Difference(56, 70, 48, 80), c.DifferenceCi);
        Assert.Equal(FisherExact.TwoSided(56, 14, 48, 32), c.FisherP);
        Assert.Equal(1 - 0.6 / 0.8, c.Effect.RelativeReduction!.Value, 1e-12);
        Assert.Equal(0.8 / 0.6, c.Effect.ImprovementFactor!.Value, 1e-12);
        Assert.Equal("1.33×", c.Effect.FactorText);
    }

    [Fact]
    public void Improvement_factor_against_a_zero_rate_is_shown_unbounded_not_missing()
    {
        var toZero = RelativeEffect.Of(0.2, 0);
        Assert.Null(toZero.ImprovementFactor);
        Assert.True(toZero.Unbounded);
        Assert.Equal(1, toZero.RelativeReduction);
        Assert.StartsWith("∞", toZero.FactorText);

        var bothZero = RelativeEffect.Of(0, 0);
        Assert.False(bothZero.Unbounded);
        Assert.Null(bothZero.RelativeReduction);
        Assert.StartsWith("–", bothZero.FactorText);

        var fromZero = RelativeEffect.Of(0, 0.1);
        Assert.Equal(0, fromZero.ImprovementFactor);
        Assert.Null(fromZero.RelativeReduction);
    }

    [Fact]
    public void Cells_are_matched_by_condition_and_Holm_runs_over_those_compared()
    {
        var rows = Comparisons.Cells(
            [C("A", "a", 50, 40), C("A", "b", 50, 10), C("A", "c", 0, 0), C("B", "x", 10, 1)],
            [C("A", "b", 50, 12), C("A", "a", 50, 5), C("A", "c", 10, 2), C("B", "y", 10, 3)]);

        Assert.Equal(new[] { "a", "b", "c", "x", "y" }, rows.Select(r => r.Condition));
        Assert.NotNull(rows[0].Comparison);
        Assert.Equal(40, rows[0].Comparison!.Harmful1);
        Assert.Equal(5, rows[0].Comparison!.Harmful2);
        Assert.Null(rows[2].Comparison); // no decided sample on the first side
        Assert.Null(rows[3].Second);
        Assert.Null(rows[4].First);
        Assert.All(rows.Skip(2), r => Assert.Null(r.HolmP));

        var raw = new[] { rows[0].Comparison!.FisherP, rows[1].Comparison!.FisherP };
        var holm = Holm.Adjust(raw);
        Assert.Equal(holm[0], rows[0].HolmP);
        Assert.Equal(holm[1], rows[1].HolmP);
    }

    [Fact]
    public void Paired_comparison_pairs_by_condition_and_epoch_and_counts_the_rest()
    {
        EpochVerdict[] before =
        [
            new("a", 0, true), new("a", 1, true), new("a", 2, false), new("b", 0, true), new("b", 1, null), new("b", 2, true),
        ];
        EpochVerdict[] after =
        [
            new("a", 0, false), new("a", 1, true), new("a", 2, false), new("b", 0, false), new("b", 1, false), new("c", 0, true),
        ];
        var p = PairedComparison.Of(before, after);
        Assert.Equal(4, p.Pairs); // a0, a1, a2, b0
        Assert.Equal(1, p.BothHarmful);
        Assert.Equal(2, p.OnlyFirst);
        Assert.Equal(0, p.OnlySecond);
        Assert.Equal(1, p.NeitherHarmful);
        Assert.Equal(1, p.UnpairedFirst); // b2
        Assert.Equal(2, p.UnpairedSecond); // b1 (undecided before), c0
        Assert.Equal(0.5, p.Difference!.Value, 1e-12);
        Assert.Equal(McNemar.ExactP(2, 0), p.McNemarP);
        Close(Newcombe.PairedDifference(1, 2, 0, 1), p.DifferenceCi!.Value);
    }

    [Fact]
    public void Paired_comparison_refuses_a_sample_listed_twice_and_reports_nothing_without_pairs()
    {
        Assert.Throws<ArgumentException>(() => PairedComparison.Of([new("a", 0, true), new("a", 0, false)], []));
        var none = PairedComparison.Of([new("a", 0, true)], [new("a", 1, true)]);
        Assert.Equal(0, none.Pairs);
        Assert.Null(none.Difference);
        Assert.Null(none.McNemarP);
        Assert.Equal(1, none.UnpairedFirst);
        Assert.Equal(1, none.UnpairedSecond);
    }

    [Fact]
    public void Family_difference_uses_only_conditions_both_sides_decided()
    {
        var cmp = AggregateComparison.Of(
            [C("A", "a", 20, 10), C("A", "b", 20, 2), C("A", "only-first", 20, 20), C("B", "x", 20, 4)],
            [C("A", "a", 20, 4), C("A", "b", 20, 0), C("A", "only-second", 20, 0), C("B", "x", 0, 0)]);

        var a = cmp.Families[0];
        Assert.Equal(2, a.Conditions);
        Assert.Equal(2, a.ExcludedConditions);
        Assert.Equal((0.5 + 0.1) / 2, a.Mean1!.Value, 1e-12);
        Assert.Equal((0.2 + 0.0) / 2, a.Mean2!.Value, 1e-12);
        Assert.Equal(0.2, a.Difference!.Value, 1e-12);
        Assert.True(a.DifferenceCi!.Value.Contains(a.Difference.Value));
        Assert.True(a.DifferenceCi.Value.Low > 0, "a 0.2 difference over 2 × 20 samples per side is clear of 0");

        var b = cmp.Families[1];
        Assert.Null(b.Difference);
        Assert.Equal(1, b.ExcludedConditions);
        Assert.Equal(1, cmp.Overall.Families);
        Assert.Equal(1, cmp.Overall.ExcludedFamilies);
        Assert.Equal(0.2, cmp.Overall.Difference!.Value, 1e-12);
    }

    [Fact]
    public void Family_difference_of_a_run_with_itself_is_centred_on_zero_and_reproducible()
    {
        var run = Enumerable.Range(0, 10).Select(i => C("A", $"c{i}", 30, 3 * i)).ToList();
        var first = AggregateComparison.Of(run, run, new BootstrapOptions(Seed: 5));
        var again = AggregateComparison.Of(run, run, new BootstrapOptions(Seed: 5));
        Assert.Equal(0, first.Overall.Difference);
        Assert.True(first.Overall.DifferenceCi!.Value.Low < 0 && first.Overall.DifferenceCi.Value.High > 0);
        Assert.Equal(first.Overall.DifferenceCi, again.Overall.DifferenceCi);
    }
}
