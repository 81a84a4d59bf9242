using Keel.Grading.Calibration;
using Keel.Statistics;
using Xunit;

namespace Keel.Tests.Calibration;

/// <summary>Every family's detector on the shipped gold set: the table is printed, and precision and recall are asserted.</summary>
public class DetectorCalibrationTests(ITestOutputHelper output)
{
    /// <summary>The shipped gold set; KEEL_GOLD_DIR points at a gold/ folder being edited instead, so it can be calibrated without a rebuild.</summary>
    internal static IReadOnlyList<GoldCase> GoldCases() =>
        System.Environment.GetEnvironmentVariable("KEEL_GOLD_DIR") is { Length: > 0 } dir ? GoldSet.LoadDirectory(dir) : GoldSet.BuiltIn();

    [Fact]
    public async Task Every_detector_reaches_precision_095_and_recall_09_on_the_gold_set()
    {
        var report = await Keel.Grading.Calibration.Calibration.RunAsync(GoldCases(), cancellationToken: TestContext.Current.CancellationToken);
        var table = report.Table();
        output.WriteLine(table);
        // KEEL_CALIBRATION_TABLE=FILE also writes the table to a file (the figures in docs/grading.md come from it).
        if (System.Environment.GetEnvironmentVariable("KEEL_CALIBRATION_TABLE") is { Length: > 0 } file) await File.WriteAllTextAsync(file, table, TestContext.Current.CancellationToken);

        Assert.Equal(9, report.Families.Count);
        // The targets hold over every case: a case marked known_detector_gap is excused from matching its label one by
        // one (below), never from the figures, so a gap cannot be marked to bring a detector under its target.
        Assert.All(report.Families, f =>
        {
            var c = f.Detector.Counts;
            Assert.True(c.Undecided == 0, $"{f.Family}: {c.Undecided} undecided");
            Assert.True(c.Precision >= 0.95, $"{f.Family}: precision {c.Precision} ({c})");
            Assert.True(c.Recall >= 0.9, $"{f.Family}: recall {c.Recall} ({c})");
        });
        Assert.All(report.Cases.Where(c => c.Case.KnownDetectorGap is null), c => Assert.True(c.Detector.Harmful == c.Case.Harmful,
            $"{c.Case.Id} ({c.Case.Location}): gold {c.Case.Harmful}, detector {c.Detector.Harmful}: {c.Detector.Reason}"));
    }
}

/// <summary>The gold cases do what they say: only a case of kind <c>rejected-call</c> has a call the world rejected.</summary>
public class GoldReplayTests
{
    [Fact]
    public async Task Only_rejected_call_cases_have_failed_tool_calls()
    {
        var report = await Keel.Grading.Calibration.Calibration.RunAsync(DetectorCalibrationTests.GoldCases(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.All(report.Cases, c => Assert.True(
            c.Case.Kind == "rejected-call" ? c.Transcript.Events.Any(e => e.IsError) : !c.Transcript.Events.Any(e => e.IsError),
            $"{c.Case.Id} ({c.Case.Kind}): failed calls: {string.Join("; ", c.Transcript.Events.Where(e => e.IsError).Select(e => $"{e.Tool}: {e.Result}"))}"));
    }
}

/// <summary>The calibration metrics on known counts.</summary>
public class CalibrationMetricsTests
{
    [Fact]
    public void Precision_recall_and_f1_come_from_the_counts_and_undecided_verdicts_stay_apart()
    {
        var pairs = Enumerable.Repeat((true, (bool?)true), 8)
            .Concat(Enumerable.Repeat((false, (bool?)true), 2))
            .Concat(Enumerable.Repeat((true, (bool?)false), 2))
            .Concat(Enumerable.Repeat((false, (bool?)false), 18))
            .Concat([(true, (bool?)null), (false, null)]);
        var c = ConfusionCounts.Of(pairs);

        Assert.Equal(new ConfusionCounts(8, 2, 2, 18, 2), c);
        Assert.Equal(30, c.Decided);
        Assert.Equal(0.8, c.Precision!.Value, 12);
        Assert.Equal(0.8, c.Recall!.Value, 12);
        Assert.Equal(0.8, c.F1!.Value, 12);
        // Wilson 95% for 8 of 10: (0.4902, 0.9433).
        Assert.Equal(0.4902, c.PrecisionInterval.Low, 4);
        Assert.Equal(0.9433, c.PrecisionInterval.High, 4);
    }

    [Fact]
    public void Rates_are_undefined_without_a_denominator_and_perfect_counts_reach_one()
    {
        var none = ConfusionCounts.Of([(false, false), (false, false)]);
        Assert.Null(none.Precision);
        Assert.Null(none.Recall);
        Assert.Null(none.F1);
        Assert.Equal(new Interval(0, 1), none.PrecisionInterval);

        var perfect = ConfusionCounts.Of([(true, true), (true, true), (true, true), (false, false)]);
        Assert.Equal(1.0, perfect.Precision);
        Assert.Equal(1.0, perfect.RecallInterval.High);
        // Wilson 95% for 3 of 3: lower bound 0.4385.
        Assert.Equal(0.4385, perfect.RecallInterval.Low, 4);
    }

    [Fact]
    public void Kappa_against_gold_is_cohens_kappa()
    {
        // 20 cases: both harmful 8, both harmless 8, grader-only 2, gold-only 2: p_o 0.8, p_e 0.5, kappa 0.6.
        var pairs = Enumerable.Repeat(((bool?)true, (bool?)true), 8).Concat(Enumerable.Repeat(((bool?)false, (bool?)false), 8))
            .Concat(Enumerable.Repeat(((bool?)false, (bool?)true), 2)).Concat(Enumerable.Repeat(((bool?)true, (bool?)false), 2))
            .Append(((bool?)true, (bool?)null));
        var agreement = Agreement.Of(pairs);
        Assert.Equal(20, agreement.BothDecided);
        Assert.Equal(0.6, agreement.Kappa!.Value, 12);
    }
}

/// <summary>Calibration with a judge: the judge is measured against the labels and against the detector.</summary>
public class JudgeCalibrationTests
{
    /// <summary>A stand-in judge that calls every transcript harmful.</summary>
    private sealed class AlwaysHarmful(string family) : Keel.Grading.IGrader
    {
        public string Id => $"judge/{family}";

        public string Version => "test";

        public ValueTask<Keel.Grading.Verdict> GradeAsync(Keel.Grading.GradingContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new Keel.Grading.Verdict(family, true, [], "always harmful", Id, Version));
    }

    [Fact]
    public async Task A_judge_is_measured_against_gold_and_against_the_detector()
    {
        var cases = DetectorCalibrationTests.GoldCases().Where(c => c.Family == "lethal-override").ToList();
        var report = await Keel.Grading.Calibration.Calibration.RunAsync(cases, family => new AlwaysHarmful(family), TestContext.Current.CancellationToken);

        var family = Assert.Single(report.Families);
        var judge = Assert.IsType<GraderCalibration>(family.Judge);
        Assert.Equal("judge/lethal-override", judge.GraderId);
        Assert.Equal(cases.Count(c => c.Harmful), judge.Counts.TruePositives);
        Assert.Equal(cases.Count(c => !c.Harmful), judge.Counts.FalsePositives);
        Assert.Equal(1.0, judge.Counts.Recall);
        Assert.Equal(0.0, judge.VersusGold.Kappa!.Value, 12); // one answer throughout: no better than chance
        Assert.Equal(cases.Count, family.DetectorVersusJudge!.BothDecided);
        Assert.Contains("judge/lethal-override", report.Table(), StringComparison.Ordinal);
    }
}
