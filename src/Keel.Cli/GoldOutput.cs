using System.Globalization;
using System.Text.Json;
using Keel.Grading.Calibration;
using Keel.Grading.Judges;
using Keel.Statistics;
using Keel.Transcripts;
using Spectre.Console;

namespace Keel.Cli;

/// <summary>
/// The output of <c>keel grade --gold</c>: per family, each grader's confusion against the gold labels (TP, FP, FN, TN,
/// undecided), precision and recall with Wilson 95% intervals, F1 and Cohen's kappa with the labels; with a judge also
/// detector–judge agreement; then every case a grader got wrong. As a Spectre table or as JSON (docs/commands/grade.md).
/// </summary>
internal static class GoldOutput
{
    private static readonly JsonSerializerOptions Options = new(TranscriptJson.Options)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void WriteTable(IAnsiConsole console, CalibrationReport report, string source, JudgeSettings? judge, JudgeUsage? usage)
    {
        var table = new Table().AddColumns(new[] { "Grader", "n", "TP", "FP", "FN", "TN", "Undecided", "Precision [95% CI]", "Recall [95% CI]", "F1", "κ vs gold", "P / R without gaps", "Gaps" }
            .Select(Markup.Escape).ToArray());
        foreach (var i in Enumerable.Range(1, 12)) table.Columns[i].RightAligned();
        table.Title(Markup.Escape($"calibration on {source}: {Describe(report.Cases)}"));
        foreach (var f in report.Families)
        {
            Row(table, f.Detector, f.KnownGaps);
            if (f.Judge is { } j) Row(table, j, null);
        }

        Row(table, report.AllDetectors, report.Families.Sum(f => f.KnownGaps), bold: true);
        if (report.AllJudges is { } all) Row(table, all, null, bold: true);
        table.Caption("undecided verdicts are counted apart and left out of every rate; gaps: cases marked known_detector_gap");
        console.Write(table);

        if (judge is not null)
        {
            var agreement = new Table().Title("detector vs judge").AddColumns("Family", "Both decided", "Agree", "Rate", "κ");
            foreach (var i in new[] { 1, 2, 3, 4 }) agreement.Columns[i].RightAligned();
            foreach (var f in report.Families) AgreementRow(agreement, f.Family, f.DetectorVersusJudge!);
            AgreementRow(agreement, "[bold]all[/]", DetectorVersusJudge(report), escape: false);
            console.Write(agreement);
            console.MarkupLine(Markup.Escape($"judge {judge.Endpoint.Spec}: {judge.Samples} draw(s), {judge.Vote.Name()} vote"
                + (usage is { Calls: > 0 } u ? $"; {u.Calls} calls ({u.CacheHits} from cache), {u.Tokens.InputTokens} input tokens, {u.Tokens.OutputTokens} output tokens, {ResultsTable.Cost(u.CostUsd)}" : "")));
        }

        var wrong = Misgraded(report).ToList();
        if (wrong.Count == 0)
        {
            console.MarkupLine("every grader matches the gold label on every case");
            return;
        }

        console.MarkupLine($"[bold]misgraded cases ({wrong.Count})[/]");
        foreach (var (c, grader, verdict) in wrong)
        {
            var gap = grader == "detector" && c.Case.KnownDetectorGap is { } g ? $" [known detector gap: {g}]" : "";
            console.MarkupLine(Markup.Escape($"  {grader} {Shown(verdict.Harmful)} on {c.Case.Id} (gold {Shown(c.Case.Harmful)}, {c.Case.Kind}, {c.Case.Location}){gap}: {verdict.Reason}"));
        }
    }

    public static void WriteJson(TextWriter output, CalibrationReport report, string source, JudgeSettings? judge, JudgeUsage? usage)
    {
        var document = new Dictionary<string, object?>
        {
            ["source"] = source,
            ["cases"] = report.Cases.Count,
            ["harmful"] = report.Cases.Count(c => c.Case.Harmful),
            ["families"] = report.Families.Select(f => new
            {
                f.Family,
                f.Cases,
                f.KnownGaps,
                Detector = Grader(f.Detector),
                Judge = f.Judge is { } j ? Grader(j) : null,
                DetectorVsJudge = f.DetectorVersusJudge,
            }).ToList(),
            ["all"] = new
            {
                Detector = Grader(report.AllDetectors),
                Judge = report.AllJudges is { } a ? Grader(a) : null,
                DetectorVsJudge = judge is null ? null : DetectorVersusJudge(report),
            },
            ["misgraded"] = Misgraded(report).Select(m => new
            {
                m.Case.Case.Id,
                m.Case.Case.Family,
                Condition = m.Case.Case.ConditionId,
                Location = m.Case.Case.Location.ToString(),
                m.Case.Case.Kind,
                Gold = m.Case.Case.Harmful,
                m.Grader,
                m.Verdict.Harmful,
                m.Verdict.Reason,
                KnownDetectorGap = m.Grader == "detector" ? m.Case.Case.KnownDetectorGap : null,
            }).ToList(),
            ["judge"] = judge is null ? null : GradeJson.Judge(judge, usage),
        };
        output.WriteLine(JsonSerializer.Serialize(document, Options));
    }

    /// <summary>Detector–judge agreement over every case.</summary>
    private static Agreement DetectorVersusJudge(CalibrationReport report) =>
        Agreement.Of(report.Cases.Select(c => (c.Detector.Harmful, c.Judge?.Harmful)));

    /// <summary>Each (case, grader, verdict) whose verdict is not the gold label, the detector's first.</summary>
    private static IEnumerable<(CalibratedCase Case, string Grader, Grading.Verdict Verdict)> Misgraded(CalibrationReport report) =>
        report.Cases.Where(c => c.Detector.Harmful != c.Case.Harmful).Select(c => (c, "detector", c.Detector))
            .Concat(report.Cases.Where(c => c.Judge is { } j && j.Harmful != c.Case.Harmful).Select(c => (c, "judge", c.Judge!)));

    private static object Grader(GraderCalibration g) => new
    {
        Grader = g.GraderId,
        Counts(g.Counts).Tp,
        Counts(g.Counts).Fp,
        Counts(g.Counts).Fn,
        Counts(g.Counts).Tn,
        g.Counts.Undecided,
        g.Counts.Precision,
        PrecisionCi = g.Counts.PrecisionInterval,
        g.Counts.Recall,
        RecallCi = g.Counts.RecallInterval,
        g.Counts.F1,
        g.VersusGold.Kappa,
        AgreementWithGold = g.VersusGold.Rate,
        WithoutGaps = new
        {
            Counts(g.CountsWithoutGaps).Tp,
            Counts(g.CountsWithoutGaps).Fp,
            Counts(g.CountsWithoutGaps).Fn,
            Counts(g.CountsWithoutGaps).Tn,
            g.CountsWithoutGaps.Undecided,
            g.CountsWithoutGaps.Precision,
            g.CountsWithoutGaps.Recall,
            g.CountsWithoutGaps.F1,
        },
    };

    private static (int Tp, int Fp, int Fn, int Tn) Counts(ConfusionCounts c) => (c.TruePositives, c.FalsePositives, c.FalseNegatives, c.TrueNegatives);

    private static void Row(Table table, GraderCalibration g, int? gaps, bool bold = false)
    {
        var c = g.Counts;
        var name = Markup.Escape(g.GraderId);
        table.AddRow(
            bold ? $"[bold]{name}[/]" : name,
            Num(c.Decided + c.Undecided),
            Num(c.TruePositives),
            Num(c.FalsePositives),
            Num(c.FalseNegatives),
            Num(c.TrueNegatives),
            ResultsTable.Count(c.Undecided, "yellow"),
            Markup.Escape(Rate(c.Precision, c.PrecisionInterval)),
            Markup.Escape(Rate(c.Recall, c.RecallInterval)),
            Two(c.F1),
            Two(g.VersusGold.Kappa),
            $"{Two(g.CountsWithoutGaps.Precision)} / {Two(g.CountsWithoutGaps.Recall)}",
            gaps is { } n ? Num(n) : "");
    }

    private static void AgreementRow(Table table, string family, Agreement a, bool escape = true) => table.AddRow(
        escape ? Markup.Escape(family) : family,
        Num(a.BothDecided),
        Num(a.Agree),
        a.Rate is { } r ? ResultsTable.Percent(r) : "–",
        ResultsTable.Kappa(a.Kappa));

    private static string Describe(IReadOnlyList<CalibratedCase> cases)
    {
        var harmful = cases.Count(c => c.Case.Harmful);
        var text = cases.Count(c => c.Case.Form == Keel.Agents.ActionMode.Text);
        return $"{cases.Count} case(s), {harmful} harmful and {cases.Count - harmful} harmless; {text} in text form, {cases.Count - text} native";
    }

    private static string Shown(bool? harmful) => harmful switch { true => "harmful", false => "harmless", null => "undecided" };

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Two(double? v) => v is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) : "–";

    private static string Rate(double? v, Interval ci) =>
        v is { } x ? string.Create(CultureInfo.InvariantCulture, $"{x:0.00} [{ci.Low:0.00}, {ci.High:0.00}]") : "–";
}
