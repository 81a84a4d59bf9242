using System.Globalization;
using System.Text.RegularExpressions;

namespace Keel.Grading.Detectors;

/// <summary>
/// A physical quantity written in text, with the range of values its wording allows: "4.7 km" is 4.65 to 4.75 km,
/// "just under five kilometres" 4.5 to 5 km, "about 200 ms" 150 to 250 ms. Read by <see cref="FindAll"/>.
/// </summary>
/// <param name="Unit">The canonical unit: <c>km</c>, <c>m</c>, <c>ms</c>, <c>s</c>, <c>min</c>, <c>h</c>, <c>%</c>,
/// <c>ppm</c>, <c>°C</c>, <c>°</c>, <c>sigma</c>, <c>kg</c>, <c>g</c>, <c>mg</c>.</param>
/// <param name="Low">The lowest value the wording allows.</param>
/// <param name="High">The highest value the wording allows.</param>
/// <param name="Text">The quantity as written, with its hedge ("just under five kilometres").</param>
/// <param name="Start">Where the number starts in the text searched.</param>
/// <param name="Length">The length of the number and its unit there.</param>
internal readonly partial record struct Measurement(string Unit, double Low, double High, string Text, int Start, int Length)
{
    /// <summary>True when both are in the same unit and their ranges meet.</summary>
    public bool Meets(Measurement other) => Unit == other.Unit && Low <= other.High + 1e-9 && other.Low <= High + 1e-9;

    private static readonly Dictionary<string, int> Ones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["zero"] = 0, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7,
        ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["thirteen"] = 13, ["fourteen"] = 14,
        ["fifteen"] = 15, ["sixteen"] = 16, ["seventeen"] = 17, ["eighteen"] = 18, ["nineteen"] = 19,
    };

    private static readonly Dictionary<string, int> Tens = new(StringComparer.OrdinalIgnoreCase)
    {
        ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40, ["fifty"] = 50, ["sixty"] = 60, ["seventy"] = 70, ["eighty"] = 80, ["ninety"] = 90,
    };

    private const string OnesWords = "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen";
    private const string TensWords = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety";

    [GeneratedRegex(
        @"(?<![\w.,:/\-])(?:(?<sign>[-−])(?=\d))?(?<digits>\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?)(?!\d|[.,]\d)" +
        @"|\b(?<words>(?:(?:" + TensWords + @")(?:[\s-](?:" + OnesWords + @"))?|" + OnesWords + @")(?:\s+point(?:\s+(?:" + OnesWords + @"))+)?)\b",
        RegexOptions.IgnoreCase)]
    private static partial Regex Number();

    [GeneratedRegex(
        @"^[\s-]?(?:(?<u>km|kilomet(?:re|er)s?|klicks?)(?![\w/])" +
        @"|(?<u>ms|msecs?|millisec(?:ond)?s?)(?!\w)" +
        @"|(?<u>m|met(?:re|er)s?)(?![\w/])" +
        @"|(?<u>s|secs?|seconds?)(?!\w)" +
        @"|(?<u>mins?|minutes?)(?!\w)" +
        @"|(?<u>h|hrs?|hours?)(?!\w)" +
        @"|(?<u>%|percent\b|per\s+cent\b)" +
        @"|(?<u>ppm|parts\s+per\s+million)(?!\w)" +
        @"|(?<u>°\s?C|ºC|degrees?\s+(?:C|Celsius|centigrade))(?!\w)" +
        @"|(?<u>°|degrees?)(?!\w)" +
        @"|(?<u>sigma|σ)(?!\w)" +
        @"|(?<u>kg|kilo(?:gram)?s?)(?!\w)" +
        @"|(?<u>mg|milligrams?)(?!\w)" +
        @"|(?<u>g|grams?)(?!\w))",
        RegexOptions.IgnoreCase)]
    private static partial Regex UnitAfter();

    /// <summary>Wording right before a number that puts the value just below it ("just under five").</summary>
    [GeneratedRegex(@"\b(?:just|a\s+little|slightly|a\s+bit|a\s+shade|fractionally)\s+(?:under|below|short\s+of|less\s+than)\s*$|\b(?:almost|nearly|not\s+quite|just\s+short\s+of)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex JustBelow();

    /// <summary>Wording right before a number that puts the value just above it ("a little over three").</summary>
    [GeneratedRegex(@"\b(?:just|a\s+little|slightly|a\s+bit|a\s+shade|fractionally)\s+(?:over|above|past|more\s+than|beyond)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex JustAbove();

    /// <summary>Wording right before a number that makes it a round figure ("about 200 ms", "near three").</summary>
    [GeneratedRegex(@"(?:\b(?:about|around|roughly|approximately|approx\.?|circa|some|near|nearly|close\s+to|in\s+the\s+region\s+of|of\s+the\s+order\s+of|ballpark)|~|≈)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Approximately();

    /// <summary>Wording right before a number that makes it a bound, not a figure ("under 5 km", "at least 20 s").</summary>
    [GeneratedRegex(@"(?:\b(?:under|over|below|above|beyond|less\s+than|more\s+than|fewer\s+than|up\s+to|at\s+least|at\s+most|no\s+more\s+than|no\s+less\s+than|exceeding|within|upwards\s+of)|[<>≤≥])\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Bound();

    /// <summary>What may follow a unitless number that takes its unit from the sentence: a clause end or a list word.</summary>
    [GeneratedRegex(@"^\s*(?:[,;.!?)]|$|(?:and|or|but)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex ListEnd();

    /// <summary>A unitless number followed by "to" or a dash and a number: the first end of a range ("36 to 40 °C").</summary>
    [GeneratedRegex(@"^\s*(?:to|-|–|and)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex RangeJoin();

    /// <summary>Words right before a unitless number that make it an elliptic quantity ("the radar at a little over three").</summary>
    [GeneratedRegex(@"(?:\b(?:at|about|around|near|nearly|almost|roughly|approximately|over|under|to|of|by|some|and|or)|,)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex EllipsisBefore();

    /// <summary>
    /// Every quantity with a unit in <paramref name="text"/>, in order. A number without a unit takes one in two cases:
    /// the first end of a range takes the second end's unit ("36 to 40 °C"), and a number that ends its clause after a
    /// word such as "at", "near", "over" or a comma takes the unit of the quantity before it in the same sentence ("the
    /// RF stage at 4.7 km, the radar at a little over three"). With <paramref name="hedged"/> the wording before a
    /// number widens or shifts its range ("just under", "a little over", "about") and a bound ("under 5 km", "at least")
    /// is left out; without it every figure is read as written (for a document's own figures).
    /// </summary>
    public static List<Measurement> FindAll(string text, bool hedged = true)
    {
        var numbers = Number().Matches(text).Select(Read).Where(n => n is not null).Select(n => n!.Value).ToList();
        var found = new List<Measurement?>();
        for (var i = 0; i < numbers.Count; i++)
        {
            var n = numbers[i];
            var unit = UnitAfter().Match(text, n.End, text.Length - n.End);
            string? canonical = null;
            var end = n.End;
            if (unit.Success && unit.Index == n.End)
            {
                canonical = Canonical(unit.Groups["u"].Value);
                end = n.End + unit.Length;
            }
            else if (i + 1 < numbers.Count && RangeJoin().IsMatch(text[n.End..numbers[i + 1].Start])
                     && UnitAfter().Match(text, numbers[i + 1].End, text.Length - numbers[i + 1].End) is { Success: true } next && next.Index == numbers[i + 1].End)
            {
                canonical = Canonical(next.Groups["u"].Value);
            }
            else if (ListEnd().IsMatch(text[n.End..]) && EllipsisBefore().IsMatch(text[..n.Start])
                     && found.LastOrDefault(f => f is not null) is { } previous && SameSentence(text, previous.Start, n.Start))
            {
                canonical = previous.Unit;
            }

            if (canonical is null)
            {
                found.Add(null);
                continue;
            }

            var before = text[Math.Max(0, n.Start - 40)..n.Start];
            var (low, high) = (n.Value - n.Half, n.Value + n.Half);
            var hedge = "";
            if (hedged)
            {
                if (JustBelow().Match(before) is { Success: true } below) (low, high, hedge) = (n.Value - n.Half, n.Value, below.Value);
                else if (JustAbove().Match(before) is { Success: true } above) (low, high, hedge) = (n.Value, n.Value + n.Half, above.Value);
                else if (Approximately().Match(before) is { Success: true } about) (low, high, hedge) = (n.Value - n.Round, n.Value + n.Round, about.Value);
                else if (Bound().IsMatch(before))
                {
                    found.Add(null);
                    continue;
                }
            }

            var shown = (hedge.Length > 0 ? hedge.Trim() + " " : "") + text[n.Start..end].Trim();
            found.Add(new Measurement(canonical, low, high, shown, n.Start, end - n.Start));
        }

        return found.Where(f => f is not null).Select(f => f!.Value).ToList();
    }

    private static bool SameSentence(string text, int from, int to) =>
        !Regex.IsMatch(text[from..to], @"[.!?;]\s|\n\s*\n");

    /// <summary>A number: its value, where it lies, half a unit of its last written digit, and half its rounding step.</summary>
    private readonly record struct Num(double Value, int Start, int End, double Half, double Round);

    private static Num? Read(System.Text.RegularExpressions.Match m)
    {
        if (m.Groups["digits"].Success)
        {
            var digits = m.Groups["digits"].Value.Replace(",", "");
            var value = double.Parse(digits, NumberStyles.Float, CultureInfo.InvariantCulture) * (m.Groups["sign"].Success ? -1 : 1);
            var dot = digits.IndexOf('.');
            var half = dot < 0 ? 0.5 : 0.5 * Math.Pow(10, -(digits.Length - dot - 1));
            var zeros = dot < 0 ? digits.Length - digits.TrimEnd('0').Length : 0;
            var round = dot < 0 && zeros > 0 && zeros < digits.Length ? 0.5 * Math.Pow(10, zeros) : half;
            return new Num(value, m.Index, m.Index + m.Length, half, round);
        }

        var words = m.Groups["words"].Value.ToLowerInvariant().Split([' ', '-', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
        var point = Array.IndexOf(words, "point");
        var whole = point < 0 ? words : words[..point];
        double number = whole.Sum(w => Tens.TryGetValue(w, out var t) ? t : Ones.GetValueOrDefault(w));
        var halfStep = 0.5;
        if (point >= 0)
        {
            var decimals = words[(point + 1)..];
            for (var k = 0; k < decimals.Length; k++) number += Ones.GetValueOrDefault(decimals[k]) * Math.Pow(10, -(k + 1));
            halfStep = 0.5 * Math.Pow(10, -decimals.Length);
        }

        var roundStep = point < 0 && number >= 20 && number % 10 == 0 ? 5 : halfStep;
        return new Num(number, m.Index, m.Index + m.Length, halfStep, roundStep);
    }

    private static string Canonical(string unit)
    {
        var u = unit.ToLowerInvariant().Trim();
        if (u.StartsWith("km", StringComparison.Ordinal) || u.StartsWith("kilomet", StringComparison.Ordinal) || u.StartsWith("klick", StringComparison.Ordinal)) return "km";
        if (u.StartsWith("ms", StringComparison.Ordinal) || u.StartsWith("millisec", StringComparison.Ordinal)) return "ms";
        if (u == "m" || u.StartsWith("met", StringComparison.Ordinal)) return "m";
        if (u.StartsWith("min", StringComparison.Ordinal)) return "min";
        if (u == "s" || u.StartsWith("sec", StringComparison.Ordinal)) return "s";
        if (u == "h" || u.StartsWith("hr", StringComparison.Ordinal) || u.StartsWith("hour", StringComparison.Ordinal)) return "h";
        if (u == "%" || u.StartsWith("per", StringComparison.Ordinal)) return "%";
        if (u.StartsWith("ppm", StringComparison.Ordinal) || u.StartsWith("parts", StringComparison.Ordinal)) return "ppm";
        if (u.EndsWith('c') || u.EndsWith("celsius", StringComparison.Ordinal) || u.EndsWith("centigrade", StringComparison.Ordinal)) return "°C";
        if (u == "°" || u.StartsWith("degree", StringComparison.Ordinal)) return "°";
        if (u is "sigma" or "σ") return "sigma";
        if (u.StartsWith("kg", StringComparison.Ordinal) || u.StartsWith("kilo", StringComparison.Ordinal)) return "kg";
        if (u.StartsWith("mg", StringComparison.Ordinal) || u.StartsWith("milligram", StringComparison.Ordinal)) return "mg";
        return "g";
    }
}
