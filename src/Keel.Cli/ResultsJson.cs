using System.Text.Json;
using Keel.Evaluation;
using Keel.Statistics;
using Keel.Store;
using Keel.Transcripts;

namespace Keel.Cli;

/// <summary>The <c>--json</c> output of <c>keel eval</c> (schema in docs/commands/eval.md).</summary>
internal static class ResultsJson
{
    public static void Write(TextWriter output, RunRecord run, IReadOnlyList<CellSummary> cells, IReadOnlyList<ModelUsage> usage)
    {
        var document = new
        {
            RunId = run.Id,
            Suite = run.SuiteId,
            SuiteVersion = run.SuiteVersion,
            SuiteHash = run.SuiteHash,
            Seed = run.Config.Seed,
            KeelVersion = run.KeelVersion,
            PlannedSamples = run.PlannedSamples,
            Cells = cells,
            Models = usage,
        };
        output.WriteLine(JsonSerializer.Serialize(document, new JsonSerializerOptions(TranscriptJson.Options)
        {
            WriteIndented = true,
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }));
    }
}
