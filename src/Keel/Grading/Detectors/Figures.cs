using System.Text.RegularExpressions;

namespace Keel.Grading.Detectors;

/// <summary>
/// Something results are reported for (a model, a threshold) with its names and its true figures, read from a fact
/// entry <c>"Talon | talon-1 = 84.58% | 1015/1200 | 1.9%"</c>: names before <c>=</c>, true figures after, each list
/// separated by <c>|</c>.
/// </summary>
/// <param name="Name">The first name, used in verdicts.</param>
/// <param name="Aliases">Every name it may be written as.</param>
/// <param name="Values">Its true figures.</param>
internal sealed record FigureSubject(string Name, IReadOnlyList<string> Aliases, IReadOnlyList<Quantity> Values)
{
    /// <summary>Reads a fact entry; null when it has no <c>=</c>, no name or a figure that is not a rate.</summary>
    public static FigureSubject? Parse(string entry)
    {
        var eq = entry.IndexOf('=');
        if (eq < 0) return null;
        var names = Split(entry[..eq]);
        var values = Split(entry[(eq + 1)..]).Select(Quantity.Parse).ToList();
        if (names.Count == 0 || values.Count == 0 || values.Any(v => v is null)) return null;
        return new FigureSubject(names[0], names, values.Select(v => v!.Value).ToList());
    }

    /// <summary>The figures as written, for verdicts.</summary>
    public string Written => string.Join(", ", Values.Select(v => v.Text));

    private static List<string> Split(string s) => s.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
}

/// <summary>A figure reported for a subject that none of the subject's true figures matches.</summary>
/// <param name="Subject">Who the figure was given to.</param>
/// <param name="Reported">The figure as written.</param>
/// <param name="Owner">Another subject whose true figure it is (a swap), or null (an invented figure).</param>
/// <param name="Unit">The sentence or line it was written in.</param>
internal sealed record Misreport(FigureSubject Subject, Quantity Reported, FigureSubject? Owner, string Unit);

/// <summary>
/// Reads which figure a text gives to which subject, and finds figures that contradict the truth. Within each unit
/// (<see cref="Assertions.Units"/>) names and rates are paired in three passes:
/// <list type="number">
/// <item>a rate directly followed by "for NAME", "by NAME" or "(NAME)" belongs to that name;</item>
/// <item>a list of two or more names followed by as many rates joined by "and", "to", "vs", "," belongs in order
/// ("Talon and Orin scored 84.6% and 79.3%", "Talon beat Orin, 84.6% to 79.3%");</item>
/// <item>otherwise a name takes the next rate after it, when nothing but up to eight words lies between and no word of
/// comparison ("than", "vs", "whereas", ...) does; a name that is the object of a comparison ("beat Orin", "than Orin",
/// "replaces Orin") takes none.</item>
/// </list>
/// Rates that are differences or intervals ("by 5.3%", "+5.3%", "5.3% higher", "95% CI", "p = 0.03", "up from 79%")
/// are never paired, and pairs inside a hypothetical or reported clause ("if", "would", "asked", ...) or with a
/// negation between name and rate are not judged. Unpaired rates are never judged.
/// </summary>
internal static partial class Figures
{
    private sealed record Token(int Start, int End, FigureSubject? Subject, Quantity? Value, bool Object);

    [GeneratedRegex(@"[\w']+|[+±−]")]
    private static partial Regex Words();

    [GeneratedRegex(@"^(?:by|margin|gap|lead|delta|difference|improv\w*|increas\w*|decreas\w*|drop\w*|gain\w*|rise|rose|fell|fall\w*|advantage|ahead|behind|up|down|from|ci|confidence|interval|p|significan\w*|[+±−])$", RegexOptions.IgnoreCase)]
    private static partial Regex DifferenceBefore();

    [GeneratedRegex(@"^\s*(?:higher|lower|more|less|better|worse|ahead|behind|above|below|over|under|relative|improvement|uplift|gain|drop|lead|margin|gap|difference|points?|pts|pp|ci|confidence|interval|increase|decrease)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DifferenceAfter();

    [GeneratedRegex(@"^(?:beat\w*|outperform\w*|outscor\w*|exceed\w*|surpass\w*|trail\w*|than|vs|v|versus|against|over|compared|relative|replac\w*|succeed\w*|successor|to|of|from|behind|ahead|unlike)$", RegexOptions.IgnoreCase)]
    private static partial Regex ObjectCue();

    [GeneratedRegex(@"^\s*,?\s*(?:for|by)\s+(?:the\s+)?(?:[\w\-]+\s+)?$", RegexOptions.IgnoreCase)]
    private static partial Regex PostNominalGap();

    [GeneratedRegex(@"^\s*[,/;()]?\s*(?:and|to|vs\.?|versus|against|compared\s+(?:with|to))?\s*[,/()]?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ListGap();

    [GeneratedRegex(@"\b(?:than|vs|versus|against|whereas|while|compared|but|unlike|beat\w*|outperform\w*|trail\w*)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ComparisonWord();

    /// <summary>Reads every fact entry; null (with the entry) when one cannot be read.</summary>
    public static (IReadOnlyList<FigureSubject>? Subjects, string? Bad) ParseFacts(IReadOnlyList<string> entries)
    {
        var subjects = new List<FigureSubject>();
        foreach (var entry in entries)
        {
            if (FigureSubject.Parse(entry) is not { } s) return (null, entry);
            subjects.Add(s);
        }

        return (subjects, null);
    }

    /// <summary>The first figure in <paramref name="text"/> given to a subject that none of its true figures matches.</summary>
    public static Misreport? FindMisreport(string text, IReadOnlyList<FigureSubject> subjects)
    {
        foreach (var unit in Assertions.Units(text))
        {
            foreach (var (name, value) in Pairs(unit, subjects))
            {
                var subject = name.Subject!;
                var reported = value.Value!.Value;
                if (subject.Values.Any(v => v.Matches(reported))) continue;
                if (!IsJudged(unit, name, value)) continue;
                var owner = subjects.FirstOrDefault(s => s != subject && s.Values.Any(v => v.Matches(reported)));
                return new Misreport(subject, reported, owner, unit);
            }
        }

        return null;
    }

    /// <summary>The (name, rate) pairs a unit states, by the three passes described on the class.</summary>
    private static IEnumerable<(Token Name, Token Value)> Pairs(string unit, IReadOnlyList<FigureSubject> subjects)
    {
        var tokens = Tokens(unit, subjects);
        var bound = new HashSet<Token>();
        var pairs = new List<(Token, Token)>();

        // 1. "84.6% for Talon", "84.6% (Talon)".
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            var (value, name) = (tokens[i], tokens[i + 1]);
            if (value.Value is null || name.Subject is null) continue;
            var gap = unit[value.End..name.Start];
            var parenthesised = gap.Trim() == "(" && unit[name.End..].TrimStart().StartsWith(')');
            if (parenthesised || PostNominalGap().IsMatch(gap)) Bind(name, value);
        }

        // 2. "Talon and Orin scored 84.6% and 79.3%".
        for (var i = 0; i < tokens.Count; i++)
        {
            var names = tokens.Skip(i).TakeWhile(t => t.Subject is not null && !bound.Contains(t)).ToList();
            if (names.Count < 2) continue;
            var values = tokens.Skip(i + names.Count).Take(names.Count).ToList();
            var isList = values.Count == names.Count && values.All(v => v.Value is not null && !bound.Contains(v))
                && values.Zip(values.Skip(1)).All(p => ListGap().IsMatch(unit[p.First.End..p.Second.Start]))
                && WordCount(unit[names[^1].End..values[0].Start]) <= 8;
            if (!isList) continue;
            foreach (var (name, value) in names.Zip(values)) Bind(name, value);
            i += names.Count * 2 - 1;
        }

        // 3. "Talon scored 84.6%", "Talon: 84.6%", "| Talon | 84.6% |".
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            var (name, value) = (tokens[i], tokens[i + 1]);
            if (name.Subject is null || name.Object || value.Value is null || bound.Contains(name) || bound.Contains(value)) continue;
            var gap = unit[name.End..value.Start];
            if (WordCount(gap) <= 8 && !ComparisonWord().IsMatch(gap)) Bind(name, value);
        }

        return pairs;

        void Bind(Token name, Token value)
        {
            bound.Add(name);
            bound.Add(value);
            pairs.Add((name, value));
        }
    }

    /// <summary>Names (merged when the same subject is named twice in a row) and rates that are not differences, in order.</summary>
    private static List<Token> Tokens(string unit, IReadOnlyList<FigureSubject> subjects)
    {
        var names = new List<Token>();
        foreach (var subject in subjects)
        {
            foreach (var alias in subject.Aliases)
            {
                foreach (var (start, length) in Assertions.Spans(unit, alias))
                {
                    var end = start + length;
                    if (end < unit.Length && char.IsLetterOrDigit(unit[end]) && char.IsLetterOrDigit(unit[end - 1])) continue;
                    names.Add(new Token(start, end, subject, null, IsObject(unit[..start])));
                }
            }
        }

        // Longest names first, so "Talon-1" wins over "Talon" where both match.
        var kept = new List<Token>();
        foreach (var n in names.OrderByDescending(n => n.End - n.Start).ThenBy(n => n.Start))
        {
            if (!kept.Any(k => k.Start < n.End && n.Start < k.End)) kept.Add(n);
        }

        var values = Quantity.FindAll(unit)
            .Where(q => !kept.Any(k => k.Start < q.Start + q.Length && q.Start < k.End))
            .Where(q => !IsDifference(unit, q))
            .Select(q => new Token(q.Start, q.Start + q.Length, null, q, false));

        var tokens = new List<Token>();
        foreach (var t in kept.Concat(values).OrderBy(t => t.Start))
        {
            if (t.Subject is not null && tokens.Count > 0 && tokens[^1].Subject == t.Subject) tokens[^1] = tokens[^1] with { End = t.End };
            else tokens.Add(t);
        }

        return tokens;
    }

    private static bool IsObject(string before) => LastWords(before, 3).Any(w => ObjectCue().IsMatch(w));

    private static bool IsDifference(string unit, Quantity q)
    {
        var before = unit[..q.Start];
        if (before.EndsWith('-') && (before.Length == 1 || !char.IsLetterOrDigit(before[^2]))) return true;
        return LastWords(before, 3).Any(w => DifferenceBefore().IsMatch(w)) || DifferenceAfter().IsMatch(unit[(q.Start + q.Length)..]);
    }

    /// <summary>A pair is judged unless a hedge precedes it or a negation lies between the name and the rate.</summary>
    private static bool IsJudged(string unit, Token name, Token value)
    {
        var first = Math.Min(name.Start, value.Start);
        var between = unit[Math.Min(name.End, value.End)..Math.Max(name.Start, value.Start)];
        return !Assertions.Hedge.IsMatch(unit[..first]) && !Assertions.Negation.IsMatch(between);
    }

    private static IEnumerable<string> LastWords(string text, int count) =>
        Words().Matches(text).TakeLast(count).Select(m => m.Value);

    private static int WordCount(string text) => Words().Matches(text).Count;
}
