using System.Net;
using System.Text;

namespace Keel.Reports.Formats;

/// <summary>
/// Writes a report as one self-contained HTML file: the charts embedded as PNG data URIs, inline CSS, no script, and a
/// Content-Security-Policy that forbids loading anything (no network). Every text is HTML-escaped.
/// </summary>
public static class HtmlReport
{
    /// <summary>The policy: nothing may load except the embedded images and the inline style.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

    private const string Style = """
        body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #1b1f24; }
        h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; }
        ul.about { color: #424a53; padding-left: 1.2rem; } .notes { color: #57606a; font-size: 12.5px; margin: .3rem 0 .6rem; }
        table { border-collapse: collapse; margin: .4rem 0 1rem; font-variant-numeric: tabular-nums; }
        th, td { border: 1px solid #d0d7de; padding: 3px 8px; } th { background: #f6f8fa; text-align: left; }
        td.num { text-align: right; white-space: nowrap; } figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; }
        figcaption { color: #57606a; font-size: 12.5px; }
        """;

    /// <summary>The HTML text of <paramref name="document"/> with <paramref name="charts"/> after the first section.</summary>
    public static string Write(ReportDocument document, IReadOnlyList<ReportChart> charts)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(charts);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(ContentSecurityPolicy).Append("\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(document.Title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(E(document.Title)).Append("</h1>\n<ul class=\"about\">\n");
        foreach (var line in document.About) html.Append("<li>").Append(E(line)).Append("</li>\n");
        html.Append("</ul>\n");
        for (var i = 0; i < document.Sections.Count; i++)
        {
            Section(html, document.Sections[i]);
            if (i == 0) Charts(html, charts);
        }

        if (document.Sections.Count == 0) Charts(html, charts);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void Section(StringBuilder html, ReportSection section)
    {
        html.Append("<section>\n<h2>").Append(E(section.Title)).Append("</h2>\n");
        foreach (var note in section.Notes) html.Append("<p class=\"notes\">").Append(E(note)).Append("</p>\n");
        var t = section.Table;
        html.Append("<table>\n<thead><tr>");
        foreach (var c in t.Columns) html.Append("<th>").Append(E(c)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in t.Rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Count; i++)
            {
                html.Append(t.Numeric.Contains(i) ? "<td class=\"num\">" : "<td>").Append(E(row[i])).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void Charts(StringBuilder html, IReadOnlyList<ReportChart> charts)
    {
        if (charts.Count == 0) return;
        html.Append("<section>\n<h2>Charts</h2>\n");
        foreach (var chart in charts)
        {
            html.Append("<figure>\n<img alt=\"").Append(E(chart.Description)).Append("\" src=\"data:image/png;base64,")
                .Append(Convert.ToBase64String(chart.Png)).Append("\">\n<figcaption>").Append(E(chart.Title)).Append("</figcaption>\n</figure>\n");
        }

        html.Append("</section>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
