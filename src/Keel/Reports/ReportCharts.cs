using Keel.Reports.Charts;
using Keel.Statistics;

namespace Keel.Reports;

/// <summary>A chart of a report: its title, a description for screen readers, and the PNG.</summary>
/// <param name="Title">Chart title.</param>
/// <param name="Description">What it shows, in words (the image's alt text).</param>
/// <param name="Png">The image.</param>
public sealed record ReportChart(string Title, string Description, byte[] Png);

/// <summary>A chart of a report before it is drawn: its title and description, and how to render its PNG.</summary>
/// <param name="Title">Chart title.</param>
/// <param name="Description">What it shows, in words (the image's alt text).</param>
/// <param name="Render">Draws the image (ScottPlot; the costly part).</param>
public sealed record ChartPlan(string Title, string Description, Func<byte[]> Render);

/// <summary>The charts of a report, rendered with ScottPlot.</summary>
public static class ReportCharts
{
    /// <summary>
    /// For runs: each model's family rates (detector verdicts, mean over conditions) with bootstrap intervals, and a
    /// model × condition heatmap.
    /// </summary>
    public static IReadOnlyList<ReportChart> Of(IReadOnlyList<RunReport> runs) =>
        Plan(runs).Select(p => new ReportChart(p.Title, p.Description, p.Render())).ToList();

    /// <summary>The charts of <see cref="Of(IReadOnlyList{RunReport})"/>, not drawn yet: a page can list them and draw each when it is asked for.</summary>
    public static IReadOnlyList<ChartPlan> Plan(IReadOnlyList<RunReport> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var label = runs.Count > 1;
        var plans = new List<ChartPlan>
        {
            new("Rates per model and family", "Bar chart: harmful-action rate of each family (mean over its conditions, detector verdicts) per model, with 95% bootstrap intervals.",
                () => RateBars.Png("Harmful-action rate per family (detector)",
                    runs.SelectMany(r => r.Models.Select(m => Families(label ? $"{m.Model} ({r.Run.Id})" : m.Model, m.Detector))).ToList())),
        };
        if (runs.Any(r => r.Judged))
        {
            plans.Add(new("Detector, judge and combined rates", "Bar chart: family rates under the detector, the LLM judge and the combined policy, with 95% bootstrap intervals.",
                () => RateBars.Png("Detector, judge and combined rates per family", runs.SelectMany(r => r.Models.SelectMany(m => new[] { ("detector", m.Detector), ("judge", m.Judge), ("combined", m.Combined) }
                    .Where(s => s.Item2 is not null)
                    .Select(s => Families($"{(label ? $"{m.Model} ({r.Run.Id})" : m.Model)} · {s.Item1}", s.Item2!)))).ToList())));
        }

        plans.Add(new("Model × condition heatmap", "Heatmap: harmful-action rate of every condition (rows) for every model (columns); grey = no decided sample.",
            () => RateHeatmap.Png("Harmful-action rate per condition (detector)", runs.SelectMany(r => r.Models.Select(m => Conditions(label ? $"{m.Model} ({r.Run.Id})" : m.Model,
                r.Cells.Where(c => c.Model == m.Model)))).ToList())));
        return plans;
    }

    /// <summary>For a comparison: before/after family rates with intervals, and the two sides' condition heatmap.</summary>
    public static IReadOnlyList<ReportChart> Of(ComparisonReport comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var f = comparison.Families.Families.Where(x => x.Mean1 is not null).ToList();
        var ci = comparison.Cells;
        ChartSeries Side(string name, Func<FamilyDifference, double?> mean, Func<CellComparison, ConditionCounts?> side) => new(name, f.Select(x =>
        {
            // Each side's interval: Wilson of its pooled counts over the shared conditions, which the bars' means are over.
            var shared = ci.Where(c => c.Family == x.Family && c.Comparison is not null).Select(c => side(c)!.Value).ToList();
            var wilson = Wilson.Interval(shared.Sum(s => s.Harmful), shared.Sum(s => s.N));
            return new ChartPoint(x.Family, mean(x), wilson.Low, wilson.High);
        }).ToList());
        var before = Side("baseline", x => x.Mean1, c => c.First);
        var after = Side("candidate", x => x.Mean2, c => c.Second);
        ChartSeries Cells(string name, Func<CellComparison, ConditionCounts?> side) =>
            new(name, ci.Select(c => side(c) is { N: > 0 } s ? new ChartPoint(c.Condition, s.Rate, 0, 1) : new ChartPoint(c.Condition, null, 0, 1)).ToList());
        return
        [
            new("Before and after", "Bar chart: each family's rate for the baseline and the candidate over the conditions both ran, with 95% Wilson intervals of the pooled counts.",
                RateBars.Png("Family rates: baseline and candidate", [before, after])),
            new("Conditions, before and after", "Heatmap: harmful-action rate of every condition (rows) for the baseline and the candidate (columns).",
                RateHeatmap.Png("Harmful-action rate per condition", [Cells("baseline", c => c.First), Cells("candidate", c => c.Second)])),
        ];
    }

    private static ChartSeries Families(string name, AggregateSummary summary) =>
        new(name, summary.Families.Select(f => new ChartPoint(f.Family, f.Mean, f.MeanCi?.Low ?? 0, f.MeanCi?.High ?? 0)).ToList());

    private static ChartSeries Conditions(string name, IEnumerable<CellSummary> cells) =>
        new(name, cells.Select(c => new ChartPoint(c.Condition, c.Rate, c.CiLow, c.CiHigh)).ToList());
}
