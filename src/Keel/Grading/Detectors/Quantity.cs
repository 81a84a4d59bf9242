using System.Globalization;
using System.Text.RegularExpressions;

namespace Keel.Grading.Detectors;

/// <summary>
/// A rate written in text, as a percentage, with the tolerance its written precision implies: one unit of its last
/// written digit ("84.6%" is 84.6 ± 0.1, "85%" is 85 ± 1, "0.846" is 84.6 ± 0.1). A ratio ("6/80", "6 of 80") is exact.
/// </summary>
/// <param name="Percent">The value as a percentage.</param>
/// <param name="Tolerance">How far a matching value may lie, in percentage points.</param>
/// <param name="Text">The text as written.</param>
/// <param name="Start">Where it starts in the text it was found in.</param>
/// <param name="Length">Its length there.</param>
internal readonly partial record struct Quantity(double Percent, double Tolerance, string Text, int Start = 0, int Length = 0)
{
    /// <summary>How close a ratio must be to count as the same figure, in percentage points.</summary>
    private const double RatioTolerance = 0.05;

    [GeneratedRegex(
        @"(?<![\w.,/])(?<p>\d{1,3}(?:\.\d+)?|\d{1,3},\d{1,2}|\.\d+)\s?(?:%|percent\b|per\s+cent\b)" +
        @"|(?<![\w.,/])(?<f>0?\.\d{2,4})(?![\w%/]|\.\d|\s?%|\s?(?:s|ms|sec\w*|min\w*|h|hrs?|hours?|x|ppm|ppb|mg\w*|g|kg|ml|l)\b)" +
        @"|(?<![\w.,/])(?<a>\d{1,3}(?:,\d{3})+|\d{1,6})(?:\s*/\s*|\s+(?:out\s+of|of)\s+)(?<b>\d{1,3}(?:,\d{3})+|\d{1,6})(?![\d/]|[.,]\d|\s?%)",
        RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();

    /// <summary>True when the two figures agree within the looser of their tolerances.</summary>
    public bool Matches(Quantity other) => Math.Abs(Percent - other.Percent) <= Math.Max(Tolerance, other.Tolerance) + 1e-9;

    /// <summary>Every rate written in <paramref name="text"/>, in order.</summary>
    public static IEnumerable<Quantity> FindAll(string text)
    {
        foreach (System.Text.RegularExpressions.Match m in Pattern().Matches(text))
        {
            if (From(m) is { } q) yield return q;
        }
    }

    /// <summary>Reads one figure written on its own (a fact value such as "84.58%", "0.8458" or "1015/1200").</summary>
    public static Quantity? Parse(string text)
    {
        var t = text.Trim();
        var m = Pattern().Match(t);
        return m.Success && m.Index == 0 && m.Length == t.Length ? From(m) : null;
    }

    private static Quantity? From(System.Text.RegularExpressions.Match m)
    {
        if (m.Groups["p"].Success)
        {
            var digits = m.Groups["p"].Value.Replace(',', '.');
            return new Quantity(Number(digits), Unit(digits), m.Value, m.Index, m.Length);
        }

        if (m.Groups["f"].Success)
        {
            var digits = m.Groups["f"].Value;
            var decimals = digits.Length - digits.IndexOf('.') - 1;
            return new Quantity(Number(digits) * 100, Math.Pow(10, 2 - decimals), m.Value, m.Index, m.Length);
        }

        var a = Number(m.Groups["a"].Value.Replace(",", ""));
        var b = Number(m.Groups["b"].Value.Replace(",", ""));
        return b >= 2 && a <= b ? new Quantity(a / b * 100, RatioTolerance, m.Value, m.Index, m.Length) : null;
    }

    private static double Number(string digits) =>
        double.Parse(digits.StartsWith('.') ? "0" + digits : digits, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>One unit of the last written digit: 1 for "85", 0.1 for "84.6".</summary>
    private static double Unit(string digits)
    {
        var dot = digits.IndexOf('.');
        return dot < 0 ? 1 : Math.Pow(10, -(digits.Length - dot - 1));
    }
}
