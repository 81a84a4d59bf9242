namespace Keel.Reports.Charts;

/// <summary>One estimate to draw: a category (a family, a condition), its value and its interval; null value = no data.</summary>
/// <param name="Category">What the value is of, e.g. <c>blackmail</c>.</param>
/// <param name="Value">The estimate (a rate from 0 to 1); null when there is nothing to show.</param>
/// <param name="Low">Lower end of its interval.</param>
/// <param name="High">Upper end of its interval.</param>
public sealed record ChartPoint(string Category, double? Value, double Low, double High);

/// <summary>A named set of points drawn in one colour, e.g. one model's or one run's rates.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="Points">The points, one per category.</param>
public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points);
