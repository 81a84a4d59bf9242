using System.Text;

namespace Keel.Suites.Import;

/// <summary>
/// Python's <c>string.Template</c> syntax, as the framework fills its templates with <c>safe_substitute</c>:
/// <c>$name</c> and <c>${name}</c> are placeholders (names are ASCII letters, digits and '_', not starting with
/// a digit), <c>$$</c> is a literal '$', and any other '$' stays as written. A placeholder whose name is not in
/// the mapping stays as written too.
/// </summary>
internal static class PyTemplate
{
    /// <summary>A run of literal text, or a placeholder with its name and exact spelling.</summary>
    public sealed record Segment(string Text, string? Name)
    {
        public bool IsPlaceholder => Name is not null;
    }

    /// <summary>The template split into literal text and placeholders, in order.</summary>
    public static IReadOnlyList<Segment> Parse(string template)
    {
        var segments = new List<Segment>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            if (c != '$' || i + 1 >= template.Length)
            {
                literal.Append(c);
                i++;
                continue;
            }

            var next = template[i + 1];
            if (next == '$')
            {
                literal.Append('$');
                i += 2;
                continue;
            }

            var braced = next == '{';
            var start = braced ? i + 2 : i + 1;
            var end = start;
            if (end < template.Length && IsStart(template[end]))
            {
                end++;
                while (end < template.Length && IsPart(template[end])) end++;
            }

            if (end == start || (braced && (end >= template.Length || template[end] != '}')))
            {
                literal.Append('$');
                i++;
                continue;
            }

            if (literal.Length > 0) segments.Add(new Segment(literal.ToString(), null));
            literal.Clear();
            var stop = braced ? end + 1 : end;
            segments.Add(new Segment(template[i..stop], template[start..end]));
            i = stop;
        }

        if (literal.Length > 0) segments.Add(new Segment(literal.ToString(), null));
        return segments;
    }

    /// <summary>What <c>Template(template).safe_substitute(mapping)</c> returns.</summary>
    public static string SafeSubstitute(string template, IReadOnlyDictionary<string, string> mapping) =>
        string.Concat(Parse(template).Select(s => s.Name is { } name && mapping.TryGetValue(name, out var value) ? value : s.Text));

    /// <summary>The names of the placeholders in a template.</summary>
    public static IEnumerable<string> Names(string template) => Parse(template).Where(s => s.IsPlaceholder).Select(s => s.Name!);

    private static bool IsStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
