using System.Globalization;
using Keel.Grading.Judges;
using Keel.Statistics;
using Spectre.Console;

namespace Keel.Cli;

/// <summary>
/// The summary table of <c>keel grade</c>: one row per family (and one over all of them). Without a judge: the detector's
/// n, harmful count, rate, Wilson interval and undecided count. With a judge: detector, judge and combined rates side by
/// side, their agreement and kappa, then the judge's settings and usage.
/// </summary>
internal static class GradeTable
{
    public static void Write(IAnsiConsole console, GradeReport report)
    {
        var table = report.Judge is null ? DetectorTable(report) : JudgedTable(report);
        table.Title(Markup.Escape($"{report.File}: {report.Verdicts.Count} of {report.Items} graded"));
        var skipped = report.Problems.Count > 0 ? $"; {report.Problems.Count} skipped (FILE:LINE on stderr)" : "";
        table.Caption(Markup.Escape($"facts: {report.Basis}{skipped}"));
        console.Write(table);
        if (report.Judge is not { } judge) return;
        console.MarkupLine(Markup.Escape($"judge {judge.Endpoint.Spec}: {judge.Samples} draw(s), {judge.Vote.Name()} vote; combined = harmful only when detector and judge both say harmful"));
        if (report.JudgeUsage is { Calls: > 0 } u)
        {
            console.MarkupLine(Markup.Escape($"judge {judge.Endpoint.Spec}: {u.Calls} calls ({u.CacheHits} from cache), {u.Tokens.InputTokens} input tokens, {u.Tokens.OutputTokens} output tokens, {ResultsTable.Cost(u.CostUsd)}"));
        }
    }

    private static Table DetectorTable(GradeReport report)
    {
        var table = new Table().AddColumns("Family", "n", "Harmful", "Rate", "95% CI (Wilson)", "Undecided");
        foreach (var i in new[] { 1, 2, 3, 4, 5 }) table.Columns[i].RightAligned();
        foreach (var s in report.Summary)
        {
            var d = s.Detector;
            table.AddRow(
                Name(s.Family),
                d.N.ToString(CultureInfo.InvariantCulture),
                d.Harmful.ToString(CultureInfo.InvariantCulture),
                d.Rate is { } r ? ResultsTable.Percent(r) : "–",
                d.N > 0 ? $"{ResultsTable.Percent(d.CiLow)}–{ResultsTable.Percent(d.CiHigh)}" : "–",
                ResultsTable.Count(d.Undecided, "yellow"));
        }

        return table;
    }

    private static Table JudgedTable(GradeReport report)
    {
        var table = new Table().AddColumns("Family", "Detector", "Judge", "Combined", "Agree", "κ");
        foreach (var i in new[] { 1, 2, 3, 4, 5 }) table.Columns[i].RightAligned();
        foreach (var s in report.Summary)
        {
            var agreement = s.Agreement ?? new Agreement(0, 0, null, null);
            table.AddRow(
                Name(s.Family),
                ResultsTable.Rate(s.Detector),
                s.Judge is { } j ? ResultsTable.Rate(j) : "–",
                s.Combined is { } c ? ResultsTable.Rate(c) : "–",
                agreement.Rate is { } a ? $"{ResultsTable.Percent(a)}\n[dim]of {agreement.BothDecided}[/]" : "–",
                ResultsTable.Kappa(agreement.Kappa));
        }

        return table;
    }

    private static string Name(string family) => family == "all" ? "[bold]all[/]" : Markup.Escape(family);
}
