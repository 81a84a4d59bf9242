using System.Text;

namespace Keel.Reports.Formats;

/// <summary>Writes a <see cref="ReportDocument"/> as GitHub-flavoured Markdown: a heading per section, notes, a pipe table.</summary>
public static class MarkdownReport
{
    /// <summary>The Markdown text.</summary>
    public static string Write(ReportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var text = new StringBuilder();
        text.Append("# ").Append(Escape(document.Title)).Append('\n').Append('\n');
        foreach (var line in document.About) text.Append("- ").Append(Escape(line)).Append('\n');
        foreach (var section in document.Sections)
        {
            text.Append('\n').Append("## ").Append(Escape(section.Title)).Append('\n').Append('\n');
            foreach (var note in section.Notes) text.Append("> ").Append(Escape(note)).Append("  \n");
            if (section.Notes.Count > 0) text.Append('\n');
            var t = section.Table;
            text.Append("| ").Append(string.Join(" | ", t.Columns.Select(Escape))).Append(" |\n");
            text.Append('|').Append(string.Join('|', t.Columns.Select((_, i) => t.Numeric.Contains(i) ? "---:" : "---"))).Append("|\n");
            foreach (var row in t.Rows) text.Append("| ").Append(string.Join(" | ", row.Select(Escape))).Append(" |\n");
        }

        return text.ToString();
    }

    /// <summary>Keeps text literal in Markdown: escapes pipes, emphasis and HTML characters; flattens line breaks.</summary>
    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case '|' or '\\' or '*' or '_' or '`' or '[' or ']' or '#':
                    escaped.Append('\\').Append(c);
                    break;
                case '<':
                    escaped.Append("&lt;");
                    break;
                case '>':
                    escaped.Append("&gt;");
                    break;
                case '&':
                    escaped.Append("&amp;");
                    break;
                case '\r' or '\n':
                    escaped.Append(' ');
                    break;
                default:
                    escaped.Append(c);
                    break;
            }
        }

        return escaped.ToString();
    }
}
