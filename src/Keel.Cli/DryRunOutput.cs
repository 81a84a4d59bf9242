using System.Globalization;
using System.Text.Json;
using Keel.Evaluation;
using Keel.Transcripts;
using Spectre.Console;

namespace Keel.Cli;

/// <summary>Prints a <c>--dry-run</c> estimate as a table or JSON.</summary>
internal static class DryRunOutput
{
    public static void WriteTable(IAnsiConsole console, RunRecord run, IReadOnlyList<CostEstimate> estimates)
    {
        var table = new Table()
            .Title($"dry run · suite {run.SuiteId} v{run.SuiteVersion} · {run.PlannedSamples} samples")
            .AddColumns("Model", "Samples", "Est. input tokens", "Est. output tokens", "Est. cost (USD)");
        foreach (var i in new[] { 1, 2, 3, 4 }) table.Columns[i].RightAligned();
        foreach (var e in estimates)
        {
            if (!e.CallsModel)
            {
                table.AddRow(Markup.Escape(e.Model), N(e.Samples), "—", "—", "none (no model)");
                continue;
            }

            table.AddRow(Markup.Escape(e.Model), N(e.Samples), N(e.InputTokens), N(e.OutputTokens),
                e.CostUsd is { } c ? c.ToString("0.####", CultureInfo.InvariantCulture) : "no prices");
        }

        table.Caption("o200k token counts over each condition's exemplar courses; real models take their own paths");
        console.Write(table);
    }

    public static void WriteJson(TextWriter output, RunRecord run, IReadOnlyList<CostEstimate> estimates) =>
        output.WriteLine(JsonSerializer.Serialize(new { Suite = run.SuiteId, PlannedSamples = run.PlannedSamples, Models = estimates },
            new JsonSerializerOptions(TranscriptJson.Options) { WriteIndented = true, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never }));

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
