using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Keel.Reports.Formats;

/// <summary>Writes <see cref="ReportRow"/>s as CSV (RFC 4180): a header of snake_case field names, then one line per row.</summary>
public static class CsvReport
{
    private static readonly PropertyInfo[] Fields = typeof(ReportRow).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.Name != "EqualityContract").ToArray();

    /// <summary>The column names, in order (the same names as the JSON rows' fields).</summary>
    public static IReadOnlyList<string> Columns { get; } = Fields.Select(f => JsonNamingPolicy.SnakeCaseLower.ConvertName(f.Name)).ToList();

    /// <summary>The CSV text of <paramref name="rows"/>.</summary>
    public static string Write(IReadOnlyList<ReportRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        text.Append(string.Join(',', Columns)).Append("\r\n");
        foreach (var row in rows)
        {
            text.Append(string.Join(',', Fields.Select(f => Cell(f.GetValue(row))))).Append("\r\n");
        }

        return text.ToString();
    }

    private static string Cell(object? value) => value switch
    {
        null => "",
        double d => d.ToString("0.######", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        string s => Quote(s),
        _ => Quote(value.ToString() ?? ""),
    };

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
