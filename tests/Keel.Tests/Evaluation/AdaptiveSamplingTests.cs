using Keel.Agents;
using Keel.Evaluation;
using Keel.Store;
using Xunit;

namespace Keel.Tests.Evaluation;

/// <summary>The adaptive sampling rule (<c>--target-width</c>) and the per-cell rounds it plans.</summary>
public class AdaptiveSamplingTests(ITestOutputHelper output)
{
    /// <summary>
    /// Simulated cells (seeded, 4000 per setting) sampled by the rule until it stops: the final Wilson interval covers the
    /// true rate close to its nominal 95%, because stopping looks at the width only. Prints coverage, the mean estimate
    /// (biased towards the nearer of 0 and 1, most for rare behaviours at a wide target) and the mean samples per cell.
    /// </summary>
    [Theory]
    [InlineData(0.3, 10)]
    [InlineData(0.2, 10)]
    [InlineData(0.1, 20)]
    public void Stopping_on_the_width_keeps_the_intervals_coverage_close_to_95_percent(double width, int firstRound)
    {
        var rule = new AdaptiveSampling(width, AdaptiveSampling.DefaultCap(firstRound), firstRound);
        foreach (var rate in new[] { 0.05, 0.1, 0.3, 0.5 })
        {
            var random = new Random(1);
            const int cells = 4000;
            int covered = 0;
            double estimates = 0, samples = 0;
            for (var cell = 0; cell < cells; cell++)
            {
                int planned = firstRound, harmful = 0, n = 0;
                while (true)
                {
                    for (; n < planned; n++) harmful += random.NextDouble() < rate ? 1 : 0;
                    if (rule.Next(planned, harmful, n) is not { } next) break;
                    planned = next;
                }

                var ci = Keel.Statistics.Wilson.Interval(harmful, n);
                if (ci.Low <= rate && rate <= ci.High) covered++;
                estimates += (double)harmful / n;
                samples += n;
            }

            var coverage = (double)covered / cells;
            output.WriteLine($"W {width}, first round {firstRound}, rate {rate}: coverage {coverage:0.000}, mean estimate {estimates / cells:0.000}, mean samples {samples / cells:0.0}");
            Assert.InRange(coverage, 0.92, 0.985);
        }
    }

    [Fact]
    public void The_continuous_width_is_the_Wilson_width_at_whole_counts()
    {
        for (var n = 1; n <= 60; n++)
        {
            for (var k = 0; k <= n; k++)
            {
                Assert.Equal(AdaptiveSampling.Width(k, n), AdaptiveSampling.WidthAt((double)k / n, n), 1e-9);
            }
        }
    }

    [Theory]
    [InlineData(0.0, 0.3)]
    [InlineData(0.1, 0.2)]
    [InlineData(0.3, 0.3)]
    [InlineData(0.5, 0.3)]
    [InlineData(0.5, 0.1)]
    [InlineData(0.9, 0.05)]
    public void The_decided_samples_needed_are_the_fewest_that_reach_the_target(double rate, double width)
    {
        var rule = new AdaptiveSampling(width, 100, 10);

        var n = rule.DecidedNeeded(rate);

        Assert.True(AdaptiveSampling.WidthAt(rate, n) <= width);
        Assert.True(n == 1 || AdaptiveSampling.WidthAt(rate, n - 1) > width);
        Assert.True(n <= rule.DecidedNeeded(0.5), "a rate of 50% needs the most");
    }

    [Fact]
    public void A_cell_goes_on_by_at_least_half_a_round_until_it_is_narrow_or_at_the_cap()
    {
        var rule = new AdaptiveSampling(0.3, 40, 10);

        // 3 of 10: the interval is about 0.46 wide; the next round aims at the size a 30% rate needs, within the cap.
        var next = rule.Next(10, 3, 10);
        Assert.NotNull(next);
        Assert.Equal((int)rule.DecidedNeeded(0.3), next);
        Assert.InRange(next!.Value, 15, 40);
        // Undecided verdicts do not count towards n: the round is scaled up for them.
        Assert.True(rule.Next(10, 3, 5) > rule.Next(10, 3, 10));
        // Nothing decided: another first round.
        Assert.Equal(20, rule.Next(10, 0, 0));
        // However close the projection says the cell is, a round adds at least half a first round, and never passes the cap.
        foreach (var n in Enumerable.Range(10, 30))
        {
            if (rule.Next(n, n * 3 / 10, n) is { } grown) Assert.InRange(grown, Math.Min(n + 5, 40), 40);
        }

        // Narrow enough, or at the cap: no further round.
        var wide = new AdaptiveSampling(0.3, 1000, 10);
        var narrow = Enumerable.Range(10, 100).First(n => AdaptiveSampling.Width(n * 3 / 10, n) <= 0.3);
        Assert.Null(wide.Next(narrow, narrow * 3 / 10, narrow));
        Assert.Null(rule.Next(40, 20, 40));
        Assert.Equal(25, new AdaptiveSampling(0.05, 25, 10).Next(10, 5, 10));
    }

    [Fact]
    public void Restoring_from_any_prefix_of_the_stored_samples_plans_what_the_live_run_had_planned()
    {
        var suite = Fixtures.Mini();
        var config = new EvalConfig("mini", ["reference/mixed", "reference/aligned"], 4, 1, new AgentOptions(), TargetWidth: 0.35, MaxSamples: 30);
        // A deterministic verdict per sample, with some undecided, as the live run stores them one by one.
        static bool? Verdict(SampleKey k) => (((k.Epoch * 7) + k.ConditionId.Length + k.Model.Length) % 10) switch { < 3 => true, 9 => (bool?)null, _ => false };

        var live = SampleRounds.Restore(config, suite, []);
        var queue = new Queue<(SampleKey Key, Keel.Suites.Condition Condition)>(live.Todo());
        var stored = new List<StoredVerdict>();
        var checkpoints = new List<(int Stored, int Planned, List<SampleKey> Todo)>();
        while (queue.TryDequeue(out var sample))
        {
            var verdict = Verdict(sample.Key);
            stored.Add(new StoredVerdict(sample.Key, true, verdict));
            foreach (var next in live.Record(sample.Key, verdict)) queue.Enqueue(next);
            checkpoints.Add((stored.Count, live.Planned, queue.Select(q => q.Key).Order(Comparer<SampleKey>.Create(Compare)).ToList()));
        }

        Assert.True(live.Planned > 4 * suite.Conditions.Count * 2, "some cell went past its first round");
        foreach (var (count, planned, todo) in checkpoints)
        {
            var restored = SampleRounds.Restore(config, suite, stored.Take(count).ToList());
            Assert.Equal(planned, restored.Planned);
            Assert.Equal(todo, restored.Todo().Select(t => t.Key).Order(Comparer<SampleKey>.Create(Compare)).ToList());
        }

        Assert.Empty(SampleRounds.Restore(config, suite, stored).Todo());
    }

    [Fact]
    public void Without_a_target_width_every_cell_plans_exactly_its_samples()
    {
        var suite = Fixtures.Mini();
        var rounds = SampleRounds.Restore(new EvalConfig("mini", ["reference/mixed"], 3, 1, new AgentOptions()), suite, []);

        Assert.Equal(RunPlan.For(new EvalConfig("mini", ["reference/mixed"], 3, 1, new AgentOptions()), suite).Samples.Select(s => s.Key),
            rounds.Todo().Select(t => t.Key));
        Assert.Empty(rounds.Record(new SampleKey("reference/mixed", suite.Conditions[0].Id, 1), true));
    }

    private static int Compare(SampleKey a, SampleKey b) =>
        (string.CompareOrdinal(a.Model, b.Model), string.CompareOrdinal(a.ConditionId, b.ConditionId), a.Epoch.CompareTo(b.Epoch)) switch
        {
            (not 0 and var m, _, _) => m,
            (_, not 0 and var c, _) => c,
            (_, _, var e) => e,
        };
}
