using System.Text.Json;
using System.Text.Json.Serialization;
using Keel.Statistics;

namespace Keel.Reports.Formats;

/// <summary>
/// Writes a report as JSON: <c>schema</c> (<see cref="Schema"/>), <c>kind</c> (<c>run</c> or <c>comparison</c>), the runs
/// (what reproduces them), the bootstrap settings and weighting, and <c>rows</c>: the <see cref="ReportRow"/>s, with the
/// same snake_case fields as the CSV columns. Documented in docs/reports.md.
/// </summary>
public static class JsonReport
{
    /// <summary>The schema id; bumped when a field changes meaning or disappears.</summary>
    public const string Schema = "keel.report/1";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The JSON of one or more runs.</summary>
    public static string Write(IReadOnlyList<RunReport> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return Serialize("run", runs.Select(r => r.Run).ToList(), runs.Count > 0 ? runs[0].Bootstrap : BootstrapOptions.Default, null, ReportRows.Of(runs));
    }

    /// <summary>The JSON of a comparison.</summary>
    public static string Write(ComparisonReport comparison, BootstrapOptions bootstrap)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var runs = new List<RunOverview> { comparison.Baseline.Run };
        if (comparison.Candidate.Run.Id != comparison.Baseline.Run.Id) runs.Add(comparison.Candidate.Run);
        var about = new Dictionary<string, object?>
        {
            ["baseline"] = new { run = comparison.Baseline.Run.Id, model = comparison.Baseline.Model },
            ["candidate"] = new { run = comparison.Candidate.Run.Id, model = comparison.Candidate.Model },
            ["source"] = comparison.Source.ToString().ToLowerInvariant(),
            ["pairing"] = comparison.PairingNote,
            ["methods"] = comparison.Summary.ToDictionary(s => s.Metric, s => s.Method),
        };
        return Serialize("comparison", runs, bootstrap, about, ReportRows.Of(comparison));
    }

    private static string Serialize(string kind, IReadOnlyList<RunOverview> runs, BootstrapOptions bootstrap, Dictionary<string, object?>? comparison,
        IReadOnlyList<ReportRow> rows)
    {
        var document = new Dictionary<string, object?>
        {
            ["schema"] = Schema,
            ["kind"] = kind,
            ["runs"] = runs,
            ["bootstrap"] = bootstrap,
            ["weighting"] = new { family = AggregateSummary.FamilyWeighting, overall = AggregateSummary.OverallWeighting },
        };
        if (comparison is not null) document["comparison"] = comparison;
        document["rows"] = rows;
        return JsonSerializer.Serialize(document, Options);
    }
}
