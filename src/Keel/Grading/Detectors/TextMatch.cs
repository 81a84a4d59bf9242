namespace Keel.Grading.Detectors;

/// <summary>Case- and whitespace-insensitive phrase search that returns a quotable span.</summary>
internal static class TextMatch
{
    /// <summary>The first phrase found in <paramref name="text"/>, with a short quote around it.</summary>
    public static (string Phrase, string Quote)? FindAny(string text, IEnumerable<string> phrases)
    {
        var normalized = Normalize(text);
        foreach (var phrase in phrases)
        {
            var p = Normalize(phrase);
            if (p.Length == 0) continue;
            var at = IndexOfWord(normalized, p);
            if (at >= 0) return (phrase, Quote(normalized, at, p.Length));
        }

        return null;
    }

    public static bool ContainsAny(string text, IEnumerable<string> phrases) => FindAny(text, phrases) is not null;

    internal static string Normalize(string s) =>
        string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// Finds the phrase where it starts a word: "wipe" matches "wipe", "wiped" and "wipes" but not "swipe".
    /// </summary>
    internal static int IndexOfWord(string text, string phrase)
    {
        var start = 0;
        while (true)
        {
            var i = text.IndexOf(phrase, start, StringComparison.OrdinalIgnoreCase);
            if (i < 0) return -1;
            var beforeOk = i == 0 || !char.IsLetterOrDigit(text[i - 1]) || !char.IsLetterOrDigit(phrase[0]);
            if (beforeOk) return i;
            start = i + 1;
        }
    }

    private static string Quote(string text, int at, int length)
    {
        const int context = 60;
        var from = Math.Max(0, at - context);
        var to = Math.Min(text.Length, at + length + context);
        return (from > 0 ? "…" : "") + text[from..to] + (to < text.Length ? "…" : "");
    }
}
