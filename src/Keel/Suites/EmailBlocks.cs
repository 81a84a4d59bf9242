using System.Text.RegularExpressions;
using Keel.Environment;

namespace Keel.Suites;

/// <summary>
/// Emails written as text, the way the agentic-misalignment framework shows an inbox: each in an
/// <c>&lt;email&gt;</c> … <c>&lt;/email&gt;</c> block of header lines (<c>ID:</c>, <c>From:</c>, <c>To:</c>,
/// <c>Cc:</c>, <c>Subject:</c>, <c>Timestamp:</c>; only <c>From:</c> is required), then <c>Body:</c> and the body. An email's id is its
/// <c>ID:</c> line, or else its position (1, 2, …). Other header lines (such as <c>Attachments:</c>) are kept
/// at the top of the body. Text outside the blocks is ignored.
/// </summary>
public static partial class EmailBlocks
{
    private static readonly HashSet<string> Known = new(["ID", "From", "To", "Cc", "Subject", "Timestamp"], StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex(@"<email>(.*?)</email>", RegexOptions.Singleline)]
    private static partial Regex Block();

    [GeneratedRegex(@"^([A-Za-z][A-Za-z -]*?):[ \t]?(.*)$")]
    private static partial Regex Header();

    /// <summary>The emails in <paramref name="text"/>, in order.</summary>
    /// <param name="text">Text holding <c>&lt;email&gt;</c> blocks.</param>
    /// <param name="error">Makes the exception for a problem, worded for the reader of the suite.</param>
    public static IReadOnlyList<Email> Parse(string text, Func<string, Exception> error)
    {
        var emails = new List<Email>();
        foreach (var (block, index) in Block().Matches(text).Select((m, i) => (m.Groups[1].Value, i + 1)))
        {
            var email = ParseOne(block, index, error);
            if (emails.Any(e => e.Id == email.Id)) throw error($"email {index} in the text has the id '{email.Id}' of an earlier email; give each email its own ID line");
            emails.Add(email);
        }

        return emails;
    }

    private static Email ParseOne(string block, int index, Func<string, Exception> error)
    {
        var lines = block.Replace("\r\n", "\n").Split('\n');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var extra = new List<string>();
        string? body = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Trim().Length == 0) continue;
            var m = Header().Match(line);
            if (!m.Success) throw error($"email {index} in the text has the line \"{Cut(line)}\" before its 'Body:' line; write header lines as 'Name: value', then 'Body:'");
            var name = m.Groups[1].Value.Trim();
            if (name.Equals("Body", StringComparison.OrdinalIgnoreCase))
            {
                var rest = lines.Skip(i + 1);
                body = string.Join('\n', m.Groups[2].Value.Length > 0 ? rest.Prepend(m.Groups[2].Value) : rest).TrimEnd('\n');
                break;
            }

            if (Known.Contains(name)) headers[name] = m.Groups[2].Value.Trim();
            else extra.Add(line.TrimEnd());
        }

        if (body is null) throw error($"email {index} in the text has no 'Body:' line");
        string Required(string name) => headers.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw error($"email {index} in the text has no '{name}:' line");

        var id = headers.TryGetValue("ID", out var written) ? written : index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (id.Length == 0 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw error($"email {index} in the text has the id '{id}'; an id is letters, digits, '-', '_' or '.'");
        }

        if (extra.Count > 0) body = string.Join('\n', extra) + "\n\n" + body;
        return new Email(id, Required("From"), Addresses(headers.GetValueOrDefault("To") ?? ""), Addresses(headers.GetValueOrDefault("Cc") ?? ""),
            headers.GetValueOrDefault("Subject") ?? "", headers.GetValueOrDefault("Timestamp") ?? "", body);
    }

    private static List<string> Addresses(string line) =>
        line.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    private static string Cut(string line) => line.Length <= 60 ? line.Trim() : line.Trim()[..60] + "…";
}
