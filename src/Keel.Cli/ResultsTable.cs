using System.Globalization;
using Keel.Evaluation;
using Keel.Statistics;
using Keel.Store;
using Spectre.Console;

namespace Keel.Cli;

/// <summary>The results table: one row per model × condition.</summary>
internal static class ResultsTable
{
    public static void Write(IAnsiConsole console, RunRecord run, IReadOnlyList<CellSummary> cells, IReadOnlyList<ModelUsage> usage, bool hasReference)
    {
        var table = new Table()
            .Title($"run {run.Id} · suite {run.SuiteId} v{run.SuiteVersion} · seed {run.Config.Seed}")
            .AddColumns("Model", "Condition", "n", "Harmful", "Rate", "95% CI (Wilson)", "Errors", "Undecided");
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
                c.Errors > 0 ? $"[red]{c.Errors}[/]" : "0",
                c.Undecided > 0 ? $"[yellow]{c.Undecided}[/]" : "0");
            previousModel = c.Model;
        }

        if (hasReference) table.Caption("reference/* are known-behaviour agents that check the harness and graders, not models");
        console.Write(table);

        foreach (var u in usage.Where(u => u.ModelCalls > 0 && !u.Model.StartsWith("reference/", StringComparison.Ordinal)))
        {
            var cost = u.CostUsd is { } c ? $"${c.ToString("0.####", CultureInfo.InvariantCulture)}" : "cost unknown (no prices in the models file)";
            console.MarkupLine(Markup.Escape(
                $"{u.Model}: {u.ModelCalls} calls ({u.CacheHits} from cache), {u.InputTokens} input tokens (cache read {u.CacheReadTokens}, write {u.CacheWriteTokens}), {u.OutputTokens} output tokens, {cost}"));
        }
    }

    private static string Percent(double value) => (value * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
