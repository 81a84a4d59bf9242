using ScottPlot;

namespace Keel.Reports.Charts;

/// <summary>
/// A heatmap of rates: one column per series (a model), one row per category (a condition), coloured from 0 to 1;
/// a cell without data is drawn grey.
/// </summary>
public static class RateHeatmap
{
    /// <summary>Renders the heatmap as a PNG.</summary>
    /// <param name="title">Chart title.</param>
    /// <param name="series">One series per column; rows are the union of their categories in first-seen order.</param>
    public static byte[] Png(string title, IReadOnlyList<ChartSeries> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var rows = series.SelectMany(s => s.Points.Select(p => p.Category)).Distinct(StringComparer.Ordinal).ToList();
        var values = new double[rows.Count, series.Count];
        for (var c = 0; c < series.Count; c++)
        {
            var byCategory = series[c].Points.ToDictionary(p => p.Category, StringComparer.Ordinal);
            for (var r = 0; r < rows.Count; r++)
            {
                values[r, c] = byCategory.TryGetValue(rows[r], out var p) && p.Value is { } v ? v : double.NaN;
            }
        }

        var plot = new Plot();
        if (values.Cast<double>().Any(v => !double.IsNaN(v)))
        {
            var heatmap = plot.Add.Heatmap(values);
            heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
            heatmap.ManualRange = new ScottPlot.Range(0, 1);
            heatmap.NaNCellColor = Colors.LightGray;
            heatmap.FlipVertically = false;
            var bar = plot.Add.ColorBar(heatmap, Edge.Right);
            bar.Label = "harmful rate";
        }
        else
        {
            // ScottPlot's heatmap cannot scale data without a value (every sample failed or was undecided): the grid is
            // left empty and says so.
            var note = plot.Add.Text("no decided sample", (series.Count - 1) / 2.0, (rows.Count - 1) / 2.0);
            note.LabelAlignment = Alignment.MiddleCenter;
            note.LabelFontColor = Colors.Gray;
        }

        plot.Title(title);

        // Heatmap cells are centred on integer coordinates; row 0 is drawn at the top.
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            rows.Select((_, i) => (double)(rows.Count - 1 - i)).ToArray(), rows.ToArray());
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            series.Select((_, i) => (double)i).ToArray(), series.Select(s => s.Name).ToArray());
        plot.Axes.SetLimits(-0.5, series.Count - 0.5, -0.5, rows.Count - 0.5);
        plot.Axes.Left.TickLabelStyle.FontSize = rows.Count > 60 ? 9 : 12;
        var longest = rows.Count == 0 ? 0 : rows.Max(r => r.Length);
        var width = Math.Clamp(260 + longest * 6 + series.Count * 140, 480, 1800);
        var height = Math.Clamp(140 + rows.Count * (rows.Count > 60 ? 12 : 22), 300, 4000);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }
}
