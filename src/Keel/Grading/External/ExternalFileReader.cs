using System.Text;
using System.Text.Json;

namespace Keel.Grading.External;

/// <summary>
/// Reads an external transcript file. The layout is told from the text:
/// <list type="bullet">
/// <item>a single JSON document: an Inspect eval log (<c>{"samples": [...]}</c>, each sample an item), a JSON array (each
/// element an item) or one object (one item);</item>
/// <item>otherwise JSONL: one item per non-blank line.</item>
/// </list>
/// An item that cannot be read becomes an <see cref="ItemProblem"/> with the line it starts on, and the others are read
/// on: one bad line never loses the rest.
/// </summary>
public static class ExternalFileReader
{
    /// <summary>Reads <paramref name="text"/> (the whole file) with <paramref name="vocabulary"/>'s tool names.</summary>
    public static ExternalFile Read(string text, ToolVocabulary vocabulary)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var first = text.TrimStart();
        if (first.Length == 0) return new ExternalFile([], [new ItemProblem(1, "the file is empty: expected JSONL (one transcript per line) or a JSON document")], "jsonl");
        if (first[0] is '[' or '{')
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            try
            {
                using var doc = JsonDocument.Parse(bytes);
                return Document(doc.RootElement, bytes, vocabulary);
            }
            catch (JsonException ex) when (!FirstLineIsJson(text))
            {
                // Not JSONL either: the document itself is broken.
                var line = (int)(ex.LineNumber ?? 0) + 1;
                return new ExternalFile([], [new ItemProblem(line, Invalid(ex))], first[0] == '[' ? "json-array" : "json");
            }
            catch (JsonException)
            {
                // Several JSON values, one per line: JSONL.
            }
        }

        return Lines(text, vocabulary);
    }

    private static ExternalFile Document(JsonElement root, byte[] bytes, ToolVocabulary vocabulary)
    {
        var items = new List<ExternalItem>();
        var problems = new List<ItemProblem>();
        var startLine = LineOf(bytes, FirstNonSpace(bytes));
        if (root.ValueKind == JsonValueKind.Array)
        {
            Collect(root.EnumerateArray(), ElementLines(bytes, null), vocabulary, false, items, problems);
            if (root.GetArrayLength() == 0) problems.Add(new ItemProblem(startLine, "the JSON array is empty: there is nothing to grade"));
            return new ExternalFile(items, problems, "json-array");
        }

        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("samples", out var samples))
        {
            if (samples.ValueKind != JsonValueKind.Array || samples.GetArrayLength() == 0)
            {
                problems.Add(new ItemProblem(startLine, "the Inspect log has no samples: write the log with its samples (inspect eval without --no-log-samples)"));
                return new ExternalFile(items, problems, "inspect-log");
            }

            Collect(samples.EnumerateArray(), ElementLines(bytes, "samples"), vocabulary, true, items, problems);
            return new ExternalFile(items, problems, "inspect-log");
        }

        Collect([root], [startLine], vocabulary, false, items, problems);
        return new ExternalFile(items, problems, "json");
    }

    private static ExternalFile Lines(string text, ToolVocabulary vocabulary)
    {
        var items = new List<ExternalItem>();
        var problems = new List<ItemProblem>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(line);
            }
            catch (JsonException ex)
            {
                problems.Add(new ItemProblem(i + 1, Invalid(ex)));
                continue;
            }

            using (doc)
            {
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("samples", out var samples) && samples.ValueKind == JsonValueKind.Array)
                {
                    Collect(samples.EnumerateArray(), Enumerable.Repeat(i + 1, samples.GetArrayLength()).ToList(), vocabulary, true, items, problems);
                    continue;
                }

                Collect([doc.RootElement], [i + 1], vocabulary, false, items, problems);
            }
        }

        return new ExternalFile(items, problems, "jsonl");
    }

    private static void Collect(IEnumerable<JsonElement> elements, IReadOnlyList<int> lines, ToolVocabulary vocabulary, bool inspect,
        List<ExternalItem> items, List<ItemProblem> problems)
    {
        var i = 0;
        foreach (var element in elements)
        {
            var line = i < lines.Count ? lines[i] : lines.LastOrDefault(1);
            try
            {
                items.Add(ExternalItemReader.Read(element, line, vocabulary, inspect));
            }
            catch (ExternalFormatException ex)
            {
                problems.Add(new ItemProblem(line, ex.Message));
            }

            i++;
        }
    }

    /// <summary>"invalid JSON at column N: what", without the parser's own 0-based position note.</summary>
    private static string Invalid(JsonException ex)
    {
        var message = ex.Message;
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (at < 0) at = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (at > 0) message = message[..at].TrimEnd();
        return ex.BytePositionInLine is { } column ? $"invalid JSON at column {column + 1}: {message}" : $"invalid JSON: {message}";
    }

    private static bool FirstLineIsJson(string text)
    {
        var line = text.TrimStart().Split('\n', 2)[0].Trim();
        try
        {
            using var _ = JsonDocument.Parse(line);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The line each element of the root array (or of the root object's <paramref name="property"/> array) starts on.</summary>
    private static List<int> ElementLines(byte[] json, string? property)
    {
        var lines = new List<int>();
        var reader = new Utf8JsonReader(json);
        reader.Read();
        if (property is not null)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(property);
                reader.Read();
                if (match) break;
                reader.Skip();
            }
        }

        // Lines are counted forward from the previous element, so a large log is scanned once.
        var (line, counted) = (1, 0);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            line += json.AsSpan(counted, start - counted).Count((byte)'\n');
            counted = start;
            lines.Add(line);
            reader.Skip();
        }

        return lines;
    }

    private static int FirstNonSpace(byte[] json)
    {
        var i = 0;
        while (i < json.Length && json[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        return i;
    }

    private static int LineOf(byte[] json, int offset) => 1 + json.AsSpan(0, Math.Min(offset, json.Length)).Count((byte)'\n');
}
