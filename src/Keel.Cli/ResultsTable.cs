using System.Globalization;
using Keel.Evaluation;
using Keel.Grading.Judges;
using Keel.Statistics;
using Keel.Store;
using Spectre.Console;

namespace Keel.Cli;

/// <summary>
/// The results table: one row per model × condition. Without a judge: the detector's n, harmful count, rate and
/// interval. With a judge: detector, judge and combined rates side by side, agreement and kappa, then the judge's
/// per-model summary, its extra dimensions and its usage line.
/// </summary>
internal static class ResultsTable
{
    public static void Write(IAnsiConsole console, RunRecord run, IReadOnlyList<CellSummary> cells, IReadOnlyList<ModelUsage> usage, bool hasReference,
        JudgeSummary? judge = null)
    {
        var table = judge is null ? DetectorTable(cells) : JudgedTable(cells);
        table.Title($"run {run.Id} · suite {run.SuiteId} v{run.SuiteVersion} · seed {run.Config.Seed}");
        if (hasReference) table.Caption("reference/* are known-behaviour agents that check the harness and graders, not models");
        console.Write(table);
        if (judge is not null) JudgeSection(console, judge);

        foreach (var u in usage.Where(u => u.ModelCalls > 0 && !u.Model.StartsWith("reference/", StringComparison.Ordinal)))
        {
            console.MarkupLine(Markup.Escape(
                $"{u.Model}: {u.ModelCalls} calls ({u.CacheHits} from cache), {u.InputTokens} input tokens (cache read {u.CacheReadTokens}, write {u.CacheWriteTokens}), {u.OutputTokens} output tokens, {Cost(u.CostUsd)}"));
        }

        if (judge?.Usage is { Calls: > 0 } j)
        {
            console.MarkupLine(Markup.Escape(
                $"judge {judge.Settings.Endpoint.Spec}: {j.Calls} calls ({j.CacheHits} from cache), {j.Tokens.InputTokens} input tokens (cache read {j.Tokens.CacheReadTokens}, write {j.Tokens.CacheWriteTokens}), {j.Tokens.OutputTokens} output tokens, {Cost(j.CostUsd)}"));
        }
    }

    private static Table DetectorTable(IReadOnlyList<CellSummary> cells)
    {
        var table = new Table().AddColumns("Model", "Condition", "n", "Harmful", "Rate", "95% CI (Wilson)", "Errors", "Undecided");
        foreach (var i in new[] { 2, 3, 4, 6, 7 }) table.Columns[i].RightAligned();
        string? previousModel = null;
        foreach (var c in cells)
        {
            table.AddRow(
                c.Model == previousModel ? "" : Markup.Escape(c.Model),
                Markup.Escape(c.Condition),
                c.N.ToString(CultureInfo.InvariantCulture),
                c.Harmful.ToString(CultureInfo.InvariantCulture),
                c.Rate is { } r ? Percent(r) : "–",
                c.N > 0 ? $"{Percent(c.CiLow)}–{Percent(c.CiHigh)}" : "–",
                Count(c.Errors, "red"),
                Count(c.Undecided, "yellow"));
            previousModel = c.Model;
        }

        return table;
    }

    /// <summary>Each rate cell: "harmful/n rate", its interval below, and the undecided count when there are any.</summary>
    private static Table JudgedTable(IReadOnlyList<CellSummary> cells)
    {
        var table = new Table().AddColumns("Model", "Condition", "Detector", "Judge", "Combined", "Agree", "κ", "Errors");
        foreach (var i in new[] { 2, 3, 4, 5, 6, 7 }) table.Columns[i].RightAligned();
        string? previousModel = null;
        foreach (var c in cells)
        {
            var detector = new RateStats(c.N, c.Harmful, c.Rate, c.CiLow, c.CiHigh, c.Undecided);
            var agreement = c.Agreement ?? new Agreement(0, 0, null, null);
            table.AddRow(
                c.Model == previousModel ? "" : Markup.Escape(c.Model),
                Markup.Escape(c.Condition),
                Rate(detector),
                c.Judge is { } j ? Rate(j) : "–",
                c.Combined is { } k ? Rate(k) : "–",
                agreement.Rate is { } a ? $"{Percent(a)}\n[dim]of {agreement.BothDecided}[/]" : "–",
                Kappa(agreement.Kappa),
                Count(c.Errors, "red"));
            previousModel = c.Model;
        }

        return table;
    }

    private static void JudgeSection(IAnsiConsole console, JudgeSummary judge)
    {
        var s = judge.Settings;
        console.MarkupLine(Markup.Escape(
            $"judge {s.Endpoint.Spec}: {s.Samples} draw(s) per rubric, {s.Vote.Name()} vote; combined = harmful only when detector and judge both say harmful"));
        foreach (var a in judge.Agreement)
        {
            var rate = a.Agreement.Rate is { } r ? $"{Percent(r)} agreement over {a.Agreement.BothDecided} sample(s) both decided" : "no sample decided by both";
            console.MarkupLine(Markup.Escape($"  {a.Model}: detector–judge {rate}, κ {Kappa(a.Agreement.Kappa)}; judge undecided {a.JudgeUndecided}"));
        }

        if (judge.Dimensions.Count == 0) return;
        var table = new Table().Title("extra dimensions (LLM judge)").AddColumns("Model", "Dimension", "Observed / mean score", "95% CI (Wilson)", "Undecided");
        foreach (var i in new[] { 2, 3, 4 }) table.Columns[i].RightAligned();
        string? previousModel = null;
        foreach (var d in judge.Dimensions)
        {
            var (value, ci) = d.Observed is { } o
                ? (o.Rate is { } r ? $"{Percent(r)} ({o.Harmful}/{o.N})" : "–", o.N > 0 ? $"{Percent(o.CiLow)}–{Percent(o.CiHigh)}" : "–")
                : (d.MeanScore is { } m ? $"{m.ToString("0.#", CultureInfo.InvariantCulture)} / 100 (n {d.Scored})" : "–", "");
            table.AddRow(d.Model == previousModel ? "" : Markup.Escape(d.Model), Markup.Escape(d.Dimension), value, ci, Count(d.Undecided, "yellow"));
            previousModel = d.Model;
        }

        console.Write(table);
    }

    internal static string Rate(RateStats s)
    {
        var head = s.Rate is { } r ? $"{s.Harmful}/{s.N} {Percent(r)}" : $"{s.Harmful}/{s.N} –";
        var ci = s.N > 0 ? $"\n[dim]{Percent(s.CiLow)}–{Percent(s.CiHigh)}[/]" : "";
        var undecided = s.Undecided > 0 ? $"\n[yellow]{s.Undecided} undecided[/]" : "";
        return head + ci + undecided;
    }

    internal static string Kappa(double? kappa) => kappa is { } k ? k.ToString("0.00", CultureInfo.InvariantCulture) : "–";

    internal static string Count(int count, string colour) => count > 0 ? $"[{colour}]{count}[/]" : "0";

    internal static string Cost(decimal? cost) =>
        cost is { } c ? $"${c.ToString("0.####", CultureInfo.InvariantCulture)}" : "cost unknown (no prices in the models file)";

    internal static string Percent(double value) => (value * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
