using System.Globalization;
using Keel.Statistics;

namespace Keel.Reports;

/// <summary>How reports write numbers: rates as percentages, changes in percentage points, p-values, intervals.</summary>
public static class ReportText
{
    /// <summary>What a report shows for a missing value.</summary>
    public const string Missing = "–";

    /// <summary>A rate (0 to 1) as a percentage with one decimal, e.g. <c>22.0%</c>.</summary>
    public static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : Missing;

    /// <summary>An interval of rates, e.g. <c>15.1–30.9%</c>.</summary>
    public static string PercentInterval(Interval? ci) => ci is { } c
        ? $"{(c.Low * 100).ToString("0.0", CultureInfo.InvariantCulture)}–{(c.High * 100).ToString("0.0", CultureInfo.InvariantCulture)}%"
        : Missing;

    /// <summary>A signed share, e.g. a relative reduction: <c>+31.8%</c>, <c>−10.5%</c>.</summary>
    public static string SignedPercent(double? share) => share is { } s ? Signed(s * 100, "0.0") + "%" : Missing;

    /// <summary>A change of rate in percentage points with its sign, e.g. <c>−7.0 pp</c>.</summary>
    public static string Points(double? change) => change is { } c ? Signed(c * 100, "0.0") + " pp" : Missing;

    /// <summary>An interval of a change of rate in percentage points, e.g. <c>[−12.3, −1.8] pp</c>.</summary>
    public static string PointsInterval(Interval? ci) => ci is { } c ? $"[{Signed(c.Low * 100, "0.0")}, {Signed(c.High * 100, "0.0")}] pp" : Missing;

    /// <summary>A score (0 to 100) with one decimal.</summary>
    public static string Score(double? score) => score is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) : Missing;

    /// <summary>A change of score with its sign.</summary>
    public static string ScoreChange(double? change) => change is { } c ? Signed(c, "0.0") : Missing;

    /// <summary>An interval of a change of score.</summary>
    public static string ScoreInterval(Interval? ci) => ci is { } c ? $"[{Signed(c.Low, "0.0")}, {Signed(c.High, "0.0")}]" : Missing;

    /// <summary>A p-value: three significant digits, <c>&lt;0.0001</c> below that.</summary>
    public static string P(double? p) => p switch
    {
        null => Missing,
        < 0.0001 => "<0.0001",
        { } v => v.ToString(v < 0.001 ? "0.0000" : "0.000", CultureInfo.InvariantCulture),
    };

    /// <summary>An agreement share or kappa with two decimals.</summary>
    public static string Decimal2(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : Missing;

    /// <summary>A count.</summary>
    public static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A cost in US dollars, or why it is unknown.</summary>
    public static string Cost(decimal? usd) => usd is { } c ? "$" + c.ToString("0.####", CultureInfo.InvariantCulture) : "unknown (no prices in the models file)";

    private static string Signed(double value, string format)
    {
        var text = Math.Abs(value).ToString(format, CultureInfo.InvariantCulture);
        return Math.Round(value, 1) switch { > 0 => "+" + text, < 0 => "−" + text, _ => text };
    }
}
