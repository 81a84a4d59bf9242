using System.Text;

namespace Keel.Viewer;

/// <summary>A run of text, marked or not. Rendered as encoded text (inside <c>&lt;mark&gt;</c> when marked).</summary>
/// <param name="Text">The raw text.</param>
/// <param name="Marked">True when it is quoted by a verdict's evidence.</param>
public sealed record Segment(string Text, bool Marked);

/// <summary>
/// Finds where evidence quotes occur in a text, the way graders quote: case and whitespace ignored, "…" or "..." as an
/// elision between parts. A part not found whole (a quote joined from two fields, such as an email's subject and body)
/// is marked by its longest runs of at least three consecutive words that are found. Works on the raw text; encoding
/// happens when the segments are rendered.
/// </summary>
internal static class Highlighter
{
    private const int MinimumRun = 3;

    /// <summary>The spans of <paramref name="text"/> that <paramref name="quote"/> covers, as [start, end) offsets.</summary>
    public static IReadOnlyList<(int Start, int End)> Find(string text, string quote)
    {
        var spans = new List<(int, int)>();
        if (string.IsNullOrEmpty(text) || string.IsNullOrWhiteSpace(quote)) return spans;
        var (normalized, map) = Normalize(text);
        foreach (var part in Parts(quote))
        {
            if (FindAll(normalized, map, part, spans)) continue;
            var words = part.Split(' ');
            var i = 0;
            while (i < words.Length)
            {
                var matched = 0;
                for (var j = words.Length; j - i >= MinimumRun; j--)
                {
                    if (FindAll(normalized, map, string.Join(' ', words[i..j]), spans))
                    {
                        matched = j - i;
                        break;
                    }
                }

                i += Math.Max(1, matched);
            }
        }

        return spans;
    }

    /// <summary>Splits <paramref name="text"/> at the merged <paramref name="spans"/>.</summary>
    public static IReadOnlyList<Segment> Segments(string text, IEnumerable<(int Start, int End)> spans)
    {
        var merged = new List<(int Start, int End)>();
        foreach (var s in spans.Where(s => s.End > s.Start).OrderBy(s => s.Start))
        {
            if (merged.Count > 0 && s.Start <= merged[^1].End) merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, s.End));
            else merged.Add(s);
        }

        var segments = new List<Segment>();
        var at = 0;
        foreach (var (start, end) in merged)
        {
            if (start > at) segments.Add(new Segment(text[at..start], false));
            segments.Add(new Segment(text[start..end], true));
            at = end;
        }

        if (at < text.Length || segments.Count == 0) segments.Add(new Segment(text[at..], false));
        return segments;
    }

    private static bool FindAll(string normalized, int[] map, string phrase, List<(int, int)> spans)
    {
        if (phrase.Length == 0) return false;
        var found = false;
        var from = 0;
        while (from < normalized.Length)
        {
            var i = normalized.IndexOf(phrase, from, StringComparison.Ordinal);
            if (i < 0) break;
            spans.Add((map[i], map[i + phrase.Length - 1] + 1));
            found = true;
            from = i + phrase.Length;
        }

        return found;
    }

    /// <summary>The quote's parts between elisions, whitespace collapsed, lower case, without surrounding quotation marks.</summary>
    private static List<string> Parts(string quote) =>
        quote.Replace("…", "...", StringComparison.Ordinal).Split("...")
            .Select(p => Normalize(p).Text.Trim(' ', '"', '\'', '“', '”', '‘', '’'))
            .Where(p => p.Length > 0)
            .ToList();

    /// <summary>Whitespace runs collapsed to one space, lower-cased, with each character's offset in the original.</summary>
    private static (string Text, int[] Map) Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        var map = new List<int>(text.Length);
        var space = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                if (!space && builder.Length > 0)
                {
                    builder.Append(' ');
                    map.Add(i);
                }

                space = true;
                continue;
            }

            space = false;
            builder.Append(char.ToLowerInvariant(c));
            map.Add(i);
        }

        return (builder.ToString(), [.. map]);
    }
}
