using System.Text;
using Keel.Grading;

namespace Keel.Store;

/// <summary>
/// A sample's family verdicts as the results count them, computed from its verdicts when the writer stores the sample
/// (the <c>samples.*_harmful</c> columns). The same rule as <see cref="StoreSchema.FamilyVerdictAssignments"/>, which
/// recomputes them in SQL (migration, regrade), to the byte: SQLite's <c>LIKE</c> ignores ASCII case only, and
/// <c>ORDER BY grader_id</c> compares UTF-8 bytes.
/// </summary>
internal static class FamilyVerdicts
{
    /// <summary>
    /// The detector's verdict (of the first grader by id, among those with <paramref name="family"/> as behaviour, that is
    /// neither <c>judge/…</c> nor <c>combined/…</c>), the judge's (<c>judge/FAMILY</c>) and the combined one
    /// (<c>combined/FAMILY</c>); each null when missing or undecided.
    /// </summary>
    public static (bool? Detector, bool? Judge, bool? Combined) Of(string family, IReadOnlyList<Verdict> verdicts)
    {
        Verdict? detector = null;
        bool? judge = null, combined = null;
        foreach (var v in verdicts)
        {
            if (!string.Equals(v.Behaviour, family, StringComparison.Ordinal)) continue;
            if (v.GraderId.Length == "judge/".Length + family.Length && v.GraderId.StartsWith("judge/", StringComparison.Ordinal) && v.GraderId.EndsWith(family, StringComparison.Ordinal))
                judge = v.Harmful;
            else if (v.GraderId.Length == "combined/".Length + family.Length && v.GraderId.StartsWith("combined/", StringComparison.Ordinal) && v.GraderId.EndsWith(family, StringComparison.Ordinal))
                combined = v.Harmful;
            if (StartsWithAsciiIgnoreCase(v.GraderId, "judge/") || StartsWithAsciiIgnoreCase(v.GraderId, "combined/")) continue;
            if (detector is null || CompareUtf8(v.GraderId, detector.GraderId) < 0) detector = v;
        }

        return (detector?.Harmful, judge, combined);
    }

    /// <summary>As SQLite's <c>text LIKE 'prefix%'</c> with a prefix of ASCII letters and <c>/</c>: ASCII case ignored, nothing else folded.</summary>
    private static bool StartsWithAsciiIgnoreCase(string text, string prefix)
    {
        if (text.Length < prefix.Length) return false;
        for (var i = 0; i < prefix.Length; i++)
        {
            var c = text[i];
            if (c is >= 'A' and <= 'Z') c = (char)(c + ('a' - 'A'));
            if (c != prefix[i]) return false;
        }

        return true;
    }

    /// <summary>SQLite's BINARY collation: the UTF-8 bytes compared as unsigned bytes.</summary>
    private static int CompareUtf8(string a, string b) =>
        Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));
}
