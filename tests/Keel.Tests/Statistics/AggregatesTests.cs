using Keel.Statistics;
using Xunit;

namespace Keel.Tests.Statistics;

public class AggregatesTests
{
    private static ConditionCounts C(string family, string condition, int n, int harmful) => new(family, condition, n, harmful);

    [Fact]
    public void Family_rate_weights_conditions_equally_and_pooled_rate_weights_samples()
    {
        var summary = Aggregates.Of([C("blackmail", "a", 2, 1), C("blackmail", "b", 100, 10)]);
        var family = Assert.Single(summary.Families);
        Assert.Equal((0.5 + 0.1) / 2, family.Mean!.Value, 1e-12);
        Assert.Equal(11.0 / 102, family.Pooled!.Value, 1e-12);
        Assert.Equal(102, family.N);
        Assert.Equal(11, family.Harmful);
    }

    [Fact]
    public void Conditions_without_decided_samples_are_left_out_and_counted()
    {
        var summary = Aggregates.Of([C("leaking", "a", 10, 5), C("leaking", "b", 0, 0), C("leaking", "c", 10, 1)]);
        var family = Assert.Single(summary.Families);
        Assert.Equal(3, family.Conditions);
        Assert.Equal(1, family.EmptyConditions);
        Assert.Equal(0.3, family.Mean!.Value, 1e-12);
    }

    [Fact]
    public void Overall_rate_is_the_mean_of_family_means_not_of_conditions()
    {
        // Family A: one condition at 0.6; family B: three conditions at 0.0 — condition mean would be 0.15, family mean is 0.3.
        var summary = Aggregates.Of([C("A", "a1", 10, 6), C("B", "b1", 10, 0), C("B", "b2", 10, 0), C("B", "b3", 10, 0), C("C", "c1", 0, 0)]);
        Assert.Equal(0.3, summary.Overall.Mean!.Value, 1e-12);
        Assert.Equal(3, summary.Overall.Families);
        Assert.Equal(1, summary.Overall.EmptyFamilies);
        Assert.Null(summary.Families[2].Mean);
        Assert.Null(summary.Families[2].MeanCi);
        Assert.Equal(6.0 / 40, summary.Overall.Pooled!.Value, 1e-12);
        Assert.Contains("each family weighted equally", AggregateSummary.OverallWeighting);
        Assert.Contains("2000 resamples", summary.IntervalMethod);
    }

    [Fact]
    public void Same_seed_gives_the_same_intervals_and_another_seed_other_ones()
    {
        var data = Enumerable.Range(0, 12).Select(i => C(i < 6 ? "A" : "B", $"c{i}", 20, 2 + i)).ToList();
        var first = Aggregates.Of(data, new BootstrapOptions(Seed: 7));
        var again = Aggregates.Of(data, new BootstrapOptions(Seed: 7));
        var other = Aggregates.Of(data, new BootstrapOptions(Seed: 8));
        Assert.Equal(first.Families.Select(f => f.MeanCi), again.Families.Select(f => f.MeanCi));
        Assert.Equal(first.Overall.MeanCi, again.Overall.MeanCi);
        Assert.NotEqual(first.Overall.MeanCi, other.Overall.MeanCi);
    }

    [Fact]
    public void A_single_condition_bootstrap_reproduces_the_binomial_quantiles()
    {
        // Resampling 100 samples with 30 harmful: Binomial(100, 0.3), whose 2.5% and 97.5% quantiles are 21 and 39.
        var ci = Aggregates.Of([C("A", "a", 100, 30)]).Families[0].MeanCi!.Value;
        Assert.InRange(ci.Low, 0.20, 0.22);
        Assert.InRange(ci.High, 0.38, 0.40);
    }

    [Fact]
    public void Binomial_draws_give_the_same_interval_as_resampling_the_samples()
    {
        // The shortcut must match the literal bootstrap: resample each condition's samples (indices) with replacement.
        ConditionCounts[] data = [C("A", "a", 40, 4), C("A", "b", 40, 12), C("A", "c", 40, 30)];
        var options = new BootstrapOptions(Resamples: 4000, Seed: 3);
        var shortcut = Aggregates.Of(data, options).Families[0].MeanCi!.Value;

        var random = new Random(11);
        var samples = data.Select(c => Enumerable.Range(0, c.N).Select(i => i < c.Harmful).ToArray()).ToArray();
        var means = new double[options.Resamples];
        for (var b = 0; b < means.Length; b++)
        {
            means[b] = samples.Average(s => Enumerable.Range(0, s.Length).Count(_ => s[random.Next(s.Length)]) / (double)s.Length);
        }

        Array.Sort(means);
        // Monte Carlo error of a 2.5% quantile at B = 4000 is about 0.002 here (sd of the mean ≈ 0.037).
        Assert.Equal(means[(int)(0.025 * (means.Length - 1))], shortcut.Low, 0.01);
        Assert.Equal(means[(int)(0.975 * (means.Length - 1))], shortcut.High, 0.01);
    }

    [Fact]
    public void A_family_of_all_or_nothing_conditions_has_a_zero_width_interval()
    {
        var family = Aggregates.Of([C("A", "a", 10, 0), C("A", "b", 10, 10)]).Families[0];
        Assert.Equal(new Interval(0.5, 0.5), family.MeanCi);
    }

    [Fact]
    public void A_condition_listed_twice_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Aggregates.Of([C("A", "a", 10, 1), C("A", "a", 10, 2)]));
        Assert.Contains("appears twice", ex.Message);
        Assert.Throws<ArgumentException>(() => Aggregates.Of([C("A", "a", 10, 11)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Aggregates.Of([C("A", "a", 10, 1)], new BootstrapOptions(Resamples: 10)));
    }

    [Fact]
    public void Per_model_aggregates_read_the_chosen_graders_counts_from_cells()
    {
        var judge = new RateStats(10, 9, 0.9, 0, 1, 0);
        CellSummary[] cells =
        [
            new("m1", "A", "s", "a", 10, 1, 0.1, 0, 1, 0, 0, Judge: judge),
            new("m2", "A", "s", "a", 10, 5, 0.5, 0, 1, 2, 0),
        ];
        var detector = Aggregates.PerModel(cells);
        Assert.Equal(new[] { "m1", "m2" }, detector.Select(m => m.Model));
        Assert.Equal(0.1, detector[0].Summary.Overall.Mean!.Value, 1e-12);
        var judged = Assert.Single(Aggregates.PerModel(cells, VerdictSource.Judge));
        Assert.Equal("m1", judged.Model);
        Assert.Equal(0.9, judged.Summary.Overall.Mean!.Value, 1e-12);
    }

    [Fact]
    public void Errors_and_undecided_samples_are_shown_beside_the_rates_not_folded_in()
    {
        CellSummary[] cells =
        [
            new("m", "A", "s", "a", 8, 4, 0.5, 0, 1, 2, 1),
            new("m", "A", "s", "b", 10, 0, 0.0, 0, 1, 0, 3, Judge: new RateStats(6, 6, 1, 0, 1, 4)),
        ];
        var detector = Aggregates.Of(ConditionCounts.ForModel(cells, "m"));
        Assert.Equal(0.25, detector.Families[0].Mean!.Value, 1e-12);
        Assert.Equal(18, detector.Families[0].N);
        Assert.Equal(2, detector.Families[0].Errors);
        Assert.Equal(4, detector.Families[0].Undecided);
        Assert.Equal(2, detector.Overall.Errors);
        Assert.Equal(4, detector.Overall.Undecided);

        var judge = Aggregates.Of(ConditionCounts.ForModel(cells, "m", VerdictSource.Judge));
        Assert.Equal(1, judge.Families[0].Conditions); // cell a has no judge verdicts
        Assert.Equal(4, judge.Families[0].Undecided);
    }
}
