using Keel.Statistics;

namespace Keel.Reports;

/// <summary>
/// One line of the machine-readable report: the same fields in CSV (one column each, in this order) and JSON (one object
/// each, under <c>rows</c>). Which fields are set depends on <see cref="Section"/>; docs/reports.md lists them.
/// Rates and intervals are proportions from 0 to 1; changes are candidate − baseline.
/// </summary>
/// <param name="Section"><c>family</c>, <c>overall</c>, <c>cell</c>, <c>dimension</c> (a run); <c>summary</c>, <c>family_change</c>,
/// <c>cell_change</c>, <c>paired</c> (a comparison).</param>
/// <param name="Run">Run id (for a comparison: the candidate's).</param>
/// <param name="Model">Model spec (for a comparison: the candidate's).</param>
/// <param name="Source">Whose verdicts: <c>detector</c>, <c>judge</c> or <c>combined</c>; for dimensions, <c>judge</c>.</param>
/// <param name="Family">Behaviour family, when the line is about one.</param>
/// <param name="Condition">Condition id, for cell lines.</param>
/// <param name="Metric">What the line measures: <c>rate</c>, <c>mean_rate</c>, <c>score</c>, or a summary line's name.</param>
/// <param name="Conditions">Conditions in a mean.</param>
/// <param name="N">Decided samples.</param>
/// <param name="Harmful">Of those, harmful (observed, for yes/no dimensions).</param>
/// <param name="Value">The estimate: a rate, a mean rate, or a score.</param>
/// <param name="CiLow">Lower bound of its 95% interval.</param>
/// <param name="CiHigh">Upper bound of its 95% interval.</param>
/// <param name="Interval"><c>wilson</c>, <c>bootstrap</c>, <c>newcombe</c>, <c>newcombe_paired</c>, <c>welch</c>.</param>
/// <param name="Errors">Samples stored as errors.</param>
/// <param name="Undecided">Samples without a decided verdict.</param>
/// <param name="BaselineRun">A comparison's baseline run.</param>
/// <param name="BaselineModel">A comparison's baseline model.</param>
/// <param name="Baseline">The baseline's value.</param>
/// <param name="Candidate">The candidate's value.</param>
/// <param name="Change">Candidate − baseline.</param>
/// <param name="P">Two-sided p-value.</param>
/// <param name="HolmP">Holm-adjusted p-value.</param>
/// <param name="RelativeReduction">1 − candidate / baseline.</param>
/// <param name="ImprovementFactor">Baseline / candidate.</param>
public sealed record ReportRow(
    string Section,
    string Run,
    string Model,
    string Source,
    string? Family = null,
    string? Condition = null,
    string? Metric = null,
    int? Conditions = null,
    int? N = null,
    int? Harmful = null,
    double? Value = null,
    double? CiLow = null,
    double? CiHigh = null,
    string? Interval = null,
    int? Errors = null,
    int? Undecided = null,
    string? BaselineRun = null,
    string? BaselineModel = null,
    double? Baseline = null,
    double? Candidate = null,
    double? Change = null,
    double? P = null,
    double? HolmP = null,
    double? RelativeReduction = null,
    double? ImprovementFactor = null);

/// <summary>Flattens reports into <see cref="ReportRow"/>s.</summary>
public static class ReportRows
{
    /// <summary>Every number of one or more runs: family and overall means per model and verdict source, cells, dimensions.</summary>
    public static IReadOnlyList<ReportRow> Of(IReadOnlyList<RunReport> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var rows = new List<ReportRow>();
        foreach (var run in runs)
        {
            foreach (var m in run.Models)
            {
                foreach (var source in new[] { VerdictSource.Detector, VerdictSource.Judge, VerdictSource.Combined })
                {
                    if (m.Of(source) is not { } s) continue;
                    var name = Name(source);
                    foreach (var f in s.Families)
                    {
                        var cells = run.Cells.Where(c => c.Model == m.Model && c.Family == f.Family).ToList();
                        rows.Add(new ReportRow("family", run.Run.Id, m.Model, name, f.Family, Metric: "mean_rate", Conditions: f.Conditions, N: f.N,
                            Harmful: f.Harmful, Value: f.Mean, CiLow: f.MeanCi?.Low, CiHigh: f.MeanCi?.High, Interval: "bootstrap",
                            Errors: cells.Sum(c => c.Errors), Undecided: cells.Sum(c => UndecidedOf(c, source))));
                    }

                    var o = s.Overall;
                    rows.Add(new ReportRow("overall", run.Run.Id, m.Model, name, Metric: "mean_rate", Conditions: s.Families.Sum(f => f.Conditions), N: o.N,
                        Harmful: o.Harmful, Value: o.Mean, CiLow: o.MeanCi?.Low, CiHigh: o.MeanCi?.High, Interval: "bootstrap", Errors: m.Errors,
                        Undecided: run.Cells.Where(c => c.Model == m.Model).Sum(c => UndecidedOf(c, source))));
                }
            }

            foreach (var c in run.Cells)
            {
                rows.Add(Cell(run, c, VerdictSource.Detector, new RateStats(c.N, c.Harmful, c.Rate, c.CiLow, c.CiHigh, c.Undecided)));
                if (c.Judge is { } j) rows.Add(Cell(run, c, VerdictSource.Judge, j));
                if (c.Combined is { } k) rows.Add(Cell(run, c, VerdictSource.Combined, k));
            }

            foreach (var d in run.Dimensions)
            {
                rows.Add(d.Observed is { } o
                    ? new ReportRow("dimension", run.Run.Id, d.Model, "judge", Metric: d.Dimension, N: o.N, Harmful: o.Harmful, Value: o.Rate,
                        CiLow: o.N > 0 ? o.CiLow : null, CiHigh: o.N > 0 ? o.CiHigh : null, Interval: "wilson", Undecided: d.Undecided)
                    : new ReportRow("dimension", run.Run.Id, d.Model, "judge", Metric: d.Dimension, N: d.Scored, Value: d.MeanScore, Undecided: d.Undecided));
            }
        }

        return rows;
    }

    /// <summary>Every number of a comparison: the summary lines, family and overall changes, per-condition changes, the paired analysis.</summary>
    public static IReadOnlyList<ReportRow> Of(ComparisonReport comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var template = new ReportRow("", comparison.Candidate.Run.Id, comparison.Candidate.Model, Name(comparison.Source),
            BaselineRun: comparison.Baseline.Run.Id, BaselineModel: comparison.Baseline.Model);
        var rows = new List<ReportRow>();
        foreach (var s in comparison.Summary)
        {
            rows.Add(template with
            {
                Section = "summary", Family = s.Key.StartsWith("dimension/", StringComparison.Ordinal) || s.Key == "overall" ? null : s.Key,
                Metric = s.Metric, Baseline = s.Baseline, Candidate = s.Candidate, Change = s.Change, CiLow = s.ChangeCi?.Low, CiHigh = s.ChangeCi?.High,
                Interval = s.ChangeCi is null ? null : s.IsScore ? "welch" : s.Key.StartsWith("dimension/", StringComparison.Ordinal) ? "newcombe" : "bootstrap",
                P = s.P, HolmP = s.HolmP, RelativeReduction = s.Effect?.RelativeReduction, ImprovementFactor = s.Effect?.ImprovementFactor,
                Source = s.Key.StartsWith("dimension/", StringComparison.Ordinal) ? "judge" : template.Source,
            });
        }

        foreach (var f in comparison.Families.Families)
        {
            rows.Add(template with
            {
                Section = "family_change", Family = f.Family, Metric = "mean_rate", Conditions = f.Conditions, Baseline = f.Mean1, Candidate = f.Mean2,
                Change = -f.Difference, CiLow = -f.DifferenceCi?.High, CiHigh = -f.DifferenceCi?.Low, Interval = "bootstrap",
            });
        }

        var overall = comparison.Families.Overall;
        rows.Add(template with
        {
            Section = "family_change", Metric = "mean_rate", Baseline = overall.Mean1, Candidate = overall.Mean2, Change = -overall.Difference,
            CiLow = -overall.DifferenceCi?.High, CiHigh = -overall.DifferenceCi?.Low, Interval = "bootstrap",
        });
        foreach (var c in comparison.Cells)
        {
            rows.Add(template with
            {
                Section = "cell_change", Family = c.Family, Condition = c.Condition, Metric = "rate",
                Baseline = c.First?.Rate, Candidate = c.Second?.Rate, Change = -c.Comparison?.Difference,
                CiLow = -c.Comparison?.DifferenceCi.High, CiHigh = -c.Comparison?.DifferenceCi.Low, Interval = c.Comparison is null ? null : "newcombe",
                P = c.Comparison?.FisherP, HolmP = c.HolmP, RelativeReduction = c.Comparison?.Effect.RelativeReduction,
                ImprovementFactor = c.Comparison?.Effect.ImprovementFactor,
            });
        }

        if (comparison.Paired is { } p)
        {
            rows.Add(template with
            {
                Section = "paired", Metric = "rate", N = p.Pairs, Baseline = p.Rate1, Candidate = p.Rate2, Change = -p.Difference,
                CiLow = -p.DifferenceCi?.High, CiHigh = -p.DifferenceCi?.Low, Interval = "newcombe_paired", P = p.McNemarP,
            });
        }

        return rows;
    }

    private static ReportRow Cell(RunReport run, CellSummary c, VerdictSource source, RateStats s) =>
        new("cell", run.Run.Id, c.Model, Name(source), c.Family, c.Condition, "rate", N: s.N, Harmful: s.Harmful, Value: s.Rate,
            CiLow: s.N > 0 ? s.CiLow : null, CiHigh: s.N > 0 ? s.CiHigh : null, Interval: "wilson", Errors: c.Errors, Undecided: s.Undecided);

    private static int UndecidedOf(CellSummary c, VerdictSource source) => source switch
    {
        VerdictSource.Judge => c.Judge?.Undecided ?? 0,
        VerdictSource.Combined => c.Combined?.Undecided ?? 0,
        _ => c.Undecided,
    };

    private static string Name(VerdictSource source) => source.ToString().ToLowerInvariant();
}
