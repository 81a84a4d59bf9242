using ScottPlot;

namespace Keel.Reports.Charts;

/// <summary>
/// Grouped bar charts of rates with their intervals as error bars: one group per category, one bar per series.
/// Used for "rates per model and family" and, with two series, for before/after comparisons.
/// </summary>
public static class RateBars
{
    /// <summary>Renders the chart as a PNG.</summary>
    /// <param name="title">Chart title.</param>
    /// <param name="series">The series; every series is drawn over the union of their categories, in first-seen order.</param>
    /// <param name="width">Image width in pixels (default grows with the number of bars).</param>
    /// <param name="height">Image height in pixels.</param>
    public static byte[] Png(string title, IReadOnlyList<ChartSeries> series, int? width = null, int height = 420)
    {
        ArgumentNullException.ThrowIfNull(series);
        var categories = series.SelectMany(s => s.Points.Select(p => p.Category)).Distinct(StringComparer.Ordinal).ToList();
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var slot = 1.0 / (series.Count + 1);
        for (var s = 0; s < series.Count; s++)
        {
            var byCategory = series[s].Points.ToDictionary(p => p.Category, StringComparer.Ordinal);
            var bars = new List<Bar>();
            List<double> xs = [], ys = [], below = [], above = [];
            for (var c = 0; c < categories.Count; c++)
            {
                if (!byCategory.TryGetValue(categories[c], out var point) || point.Value is not { } value) continue;
                bars.Add(new Bar
                {
                    Position = c + (s - (series.Count - 1) / 2.0) * slot,
                    Value = value,
                    ValueBase = 0,
                    Size = slot * 0.9,
                    FillColor = palette.GetColor(s),
                    LineWidth = 0,
                });
                xs.Add(bars[^1].Position);
                ys.Add(value);
                below.Add(Math.Max(0, value - point.Low));
                above.Add(Math.Max(0, point.High - value));
            }

            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = series[s].Name;
            plottable.Color = palette.GetColor(s);

            // Intervals are asymmetric (Wilson, bootstrap), so they are drawn as their own error bars.
            plot.Add.Plottable(new ScottPlot.Plottables.ErrorBar(xs, ys, null, null, above, below) { Color = Colors.Black, CapSize = 4 });
        }

        plot.Title(title);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            categories.Select((_, i) => (double)i).ToArray(), categories.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = categories.Count > 4 ? 30 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = categories.Count > 4 ? Alignment.MiddleLeft : Alignment.UpperCenter;
        if (categories.Count > 4) plot.Axes.Bottom.MinimumSize = 24 + 4.5f * categories.Max(c => c.Length);
        plot.Axes.Left.Label.Text = "harmful rate (95% interval)";
        plot.Axes.SetLimitsY(0, 1.05);
        plot.Axes.SetLimitsX(-0.6, categories.Count - 0.4);
        if (series.Count > 1) plot.ShowLegend(Edge.Bottom);
        var w = width ?? Math.Clamp(160 + categories.Count * (40 + 22 * series.Count), 720, 1800);
        return plot.GetImageBytes(w, height + (categories.Count > 4 ? 90 : 0) + (series.Count > 1 ? 24 * series.Count : 0), ImageFormat.Png);
    }
}
