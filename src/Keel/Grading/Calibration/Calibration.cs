using System.Globalization;
using System.Text;
using Keel.Agents;
using Keel.Statistics;
using Keel.Suites;
using Keel.Transcripts;

namespace Keel.Grading.Calibration;

/// <summary>One gold case graded: its rebuilt transcript and each grader's verdict.</summary>
public sealed record CalibratedCase(GoldCase Case, Transcript Transcript, Verdict Detector, Verdict? Judge);

/// <summary>One grader of one family (or of all) against the gold labels.</summary>
/// <param name="GraderId">e.g. <c>detector/blackmail</c>.</param>
/// <param name="Counts">Over every case, known detector gaps included.</param>
/// <param name="CountsWithoutGaps">Over the cases not marked <c>known_detector_gap</c>.</param>
/// <param name="VersusGold">Agreement and Cohen's kappa with the gold labels (every case).</param>
public sealed record GraderCalibration(string GraderId, ConfusionCounts Counts, ConfusionCounts CountsWithoutGaps, Agreement VersusGold);

/// <summary>A family's calibration: its detector, and the judge when one was given.</summary>
/// <param name="Family">The family id.</param>
/// <param name="Cases">Its gold cases.</param>
/// <param name="KnownGaps">Of those, cases marked <c>known_detector_gap</c>.</param>
/// <param name="Detector">The family's detector against the labels.</param>
/// <param name="Judge">The judge against the labels; null without a judge.</param>
/// <param name="DetectorVersusJudge">Agreement of detector and judge; null without a judge.</param>
public sealed record FamilyCalibration(string Family, int Cases, int KnownGaps, GraderCalibration Detector, GraderCalibration? Judge, Agreement? DetectorVersusJudge);

/// <summary>What <see cref="Calibration.RunAsync(IReadOnlyList{GoldCase}, Func{string, IGrader}?, CancellationToken)"/> measured.</summary>
public sealed record CalibrationReport(IReadOnlyList<CalibratedCase> Cases, IReadOnlyList<FamilyCalibration> Families, GraderCalibration AllDetectors, GraderCalibration? AllJudges)
{
    /// <summary>A fixed-width table: one line per family detector (and judge), then the totals, then the misgraded cases.</summary>
    public string Table()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"grader",-31} {"n",3} {"TP",3} {"FP",3} {"FN",3} {"TN",3} {"und",3}  {"precision [95% CI]",-21} {"recall [95% CI]",-21} {"F1",5} {"kappa",6}  {"P/R without gaps",-16} gaps");
        void Line(GraderCalibration g, int gaps)
        {
            var c = g.Counts;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{g.GraderId,-31} {c.Decided + c.Undecided,3} {c.TruePositives,3} {c.FalsePositives,3} {c.FalseNegatives,3} {c.TrueNegatives,3} {c.Undecided,3}  {Rate(c.Precision, c.PrecisionInterval),-21} {Rate(c.Recall, c.RecallInterval),-21} {Num(c.F1),5} {Num(g.VersusGold.Kappa),6}  {Num(g.CountsWithoutGaps.Precision) + " / " + Num(g.CountsWithoutGaps.Recall),-16} {gaps}");
        }

        foreach (var f in Families)
        {
            Line(f.Detector, f.KnownGaps);
            if (f.Judge is { } j) Line(j, 0);
        }

        Line(AllDetectors, Families.Sum(f => f.KnownGaps));
        if (AllJudges is { } all) Line(all, 0);
        foreach (var c in Cases.Where(c => c.Detector.Harmful != c.Case.Harmful))
        {
            var gap = c.Case.KnownDetectorGap is { } g ? $" [known detector gap: {g}]" : "";
            text.AppendLine(CultureInfo.InvariantCulture, $"  detector {Shown(c.Detector.Harmful)} on {c.Case.Id} (gold {Shown(c.Case.Harmful)}, {c.Case.Kind}){gap}: {c.Detector.Reason}");
        }

        return text.ToString();
    }

    private static string Shown(bool? harmful) => harmful switch { true => "harmful", false => "harmless", null => "undecided" };

    private static string Num(double? v) => v is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) : "–";

    private static string Rate(double? v, Interval ci) =>
        v is { } x ? string.Create(CultureInfo.InvariantCulture, $"{x:0.00} [{ci.Low:0.00}, {ci.High:0.00}]") : "–";
}

/// <summary>
/// Proves the graders on labelled data: rebuilds each gold case's transcript by replaying its turns through the
/// agent loop in its core condition's world, grades it with the family's detector (and a judge when given), and
/// measures each grader against the labels.
/// </summary>
public static class Calibration
{
    /// <summary>Calibrates on the gold-set files of a directory.</summary>
    public static Task<CalibrationReport> RunAsync(string goldDirectory, Func<string, IGrader>? judge = null, CancellationToken cancellationToken = default) =>
        RunAsync(GoldSet.LoadDirectory(goldDirectory), judge, cancellationToken);

    /// <summary>Calibrates on the given cases.</summary>
    /// <param name="cases">The gold cases.</param>
    /// <param name="judge">The judge grader for a family id, or null for detectors only.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public static async Task<CalibrationReport> RunAsync(IReadOnlyList<GoldCase> cases, Func<string, IGrader>? judge = null, CancellationToken cancellationToken = default)
    {
        var core = SuiteResolver.Resolve("core");
        var conditions = core.Conditions.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var graded = new List<CalibratedCase>(cases.Count);
        foreach (var c in cases)
        {
            var spec = conditions.TryGetValue(c.ConditionId, out var condition)
                ? condition.Spec
                : throw new InvalidOperationException($"{c.Location}: '{c.ConditionId}' is not a condition of the built-in core suite");
            Transcript transcript;
            try
            {
                transcript = await TurnReplay.RunAsync(spec, c.Form, c.Turns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException ex)
            {
                throw new InvalidOperationException($"{c.Location}: gold case '{c.Id}' cannot be replayed: {ex.Message}", ex);
            }

            var context = new GradingContext(transcript, spec.Facts, spec.World);
            var family = FamilyCatalogue.Find(c.Family) ?? throw new InvalidOperationException($"{c.Location}: unknown family '{c.Family}'");
            var detector = await family.CreateDetector().GradeAsync(context, cancellationToken).ConfigureAwait(false);
            var judged = judge is null ? null : await judge(c.Family).GradeAsync(context, cancellationToken).ConfigureAwait(false);
            graded.Add(new CalibratedCase(c, transcript, detector, judged));
        }

        var families = graded.GroupBy(g => g.Case.Family)
            .OrderBy(g => FamilyCatalogue.All.Select(f => f.Id).ToList().IndexOf(g.Key))
            .Select(g => new FamilyCalibration(g.Key, g.Count(), g.Count(x => x.Case.KnownDetectorGap is not null),
                Measure($"detector/{g.Key}", g, x => x.Detector.Harmful),
                judge is null ? null : Measure($"judge/{g.Key}", g, x => x.Judge?.Harmful),
                judge is null ? null : Agreement.Of(g.Select(x => (x.Detector.Harmful, x.Judge?.Harmful)))))
            .ToList();
        return new CalibrationReport(graded, families, Measure("detector/all", graded, x => x.Detector.Harmful),
            judge is null ? null : Measure("judge/all", graded, x => x.Judge?.Harmful));
    }

    private static GraderCalibration Measure(string id, IEnumerable<CalibratedCase> cases, Func<CalibratedCase, bool?> verdict)
    {
        var list = cases.ToList();
        return new GraderCalibration(id,
            ConfusionCounts.Of(list.Select(c => (c.Case.Harmful, verdict(c)))),
            ConfusionCounts.Of(list.Where(c => c.Case.KnownDetectorGap is null).Select(c => (c.Case.Harmful, verdict(c)))),
            Agreement.Of(list.Select(c => ((bool?)c.Case.Harmful, verdict(c)))));
    }
}
