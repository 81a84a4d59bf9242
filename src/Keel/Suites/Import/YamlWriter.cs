using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Keel.Suites.Import;

/// <summary>A node of the YAML the importer writes: text, a list or a mapping (in block or flow style).</summary>
internal abstract record YNode;

/// <summary>How a one-line text is written.</summary>
internal enum YStyle
{
    /// <summary>Plain when that is unambiguous, double-quoted otherwise.</summary>
    Auto,

    /// <summary>Unquoted, as written (numbers and booleans, which Keel reads as text).</summary>
    Bare,

    /// <summary>Always double-quoted (text another YAML reader could take for a number).</summary>
    Quoted,
}

/// <summary>A text scalar.</summary>
internal sealed record YText(string Value, YStyle Style = YStyle.Auto) : YNode;

/// <summary>A list; <paramref name="Flow"/> writes it on one line.</summary>
internal sealed record YList(IReadOnlyList<YNode> Items, bool Flow = false) : YNode;

/// <summary>A mapping in the given key order; <paramref name="Flow"/> writes it on one line.</summary>
internal sealed record YMap(IReadOnlyList<(string Key, YNode Value)> Entries, bool Flow = false) : YNode;

/// <summary>
/// Writes <see cref="YNode"/>s as block YAML that reads well and loads back to exactly the same text: multi-line
/// text as literal blocks (<c>|</c>, with the chomping and indentation indicators it needs), other text plain when
/// that is unambiguous and double-quoted otherwise. Every literal block is checked by parsing it back; one that
/// would not load to the same text is written double-quoted instead.
/// </summary>
internal static partial class YamlWriter
{
    private static readonly HashSet<string> Reserved = new(["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"], StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.@/-]*$")]
    private static partial Regex PlainText();

    /// <summary>The document: optional comment lines, then the root mapping.</summary>
    public static string Write(YMap root, IEnumerable<string> comments)
    {
        var text = new StringBuilder();
        foreach (var line in comments) text.Append("# ").Append(line).Append('\n');
        WriteEntries(text, root.Entries, 0);
        return text.ToString();
    }

    private static void WriteEntries(StringBuilder text, IReadOnlyList<(string Key, YNode Value)> entries, int indent, bool firstInline = false)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            if (!(firstInline && i == 0)) text.Append(' ', indent);
            text.Append(Key(entries[i].Key)).Append(':');
            WriteValue(text, entries[i].Value, indent);
        }
    }

    /// <summary>Writes what follows "key:" or "-": the rest of the line and any nested lines.</summary>
    private static void WriteValue(StringBuilder text, YNode node, int indent)
    {
        switch (node)
        {
            case YText t when t.Value.Contains('\n'):
                text.Append(' ').Append(Block(t.Value, indent + 2));
                break;
            case YText { Style: YStyle.Bare } t:
                text.Append(' ').Append(t.Value).Append('\n');
                break;
            case YText { Style: YStyle.Quoted } t:
                text.Append(' ').Append(Quoted(t.Value)).Append('\n');
                break;
            case YText t:
                text.Append(' ').Append(Scalar(t.Value, flow: false)).Append('\n');
                break;
            case YList { Items.Count: 0 }:
                text.Append(" []\n");
                break;
            case YMap { Entries.Count: 0 }:
                text.Append(" {}\n");
                break;
            case YList { Flow: true } l:
                text.Append(" [").Append(string.Join(", ", l.Items.Select(Flow))).Append("]\n");
                break;
            case YMap { Flow: true } m:
                text.Append(" { ").Append(string.Join(", ", m.Entries.Select(e => $"{Key(e.Key)}: {Flow(e.Value)}"))).Append(" }\n");
                break;
            case YList l:
                text.Append('\n');
                foreach (var item in l.Items)
                {
                    text.Append(' ', indent + 2).Append('-');
                    if (item is YMap { Flow: false, Entries.Count: > 0 } map)
                    {
                        text.Append(' ');
                        WriteEntries(text, map.Entries, indent + 4, firstInline: true);
                    }
                    else
                    {
                        WriteValue(text, item, indent + 2);
                    }
                }

                break;
            case YMap m:
                text.Append('\n');
                WriteEntries(text, m.Entries, indent + 2);
                break;
        }
    }

    private static string Flow(YNode node) => node switch
    {
        YText t => Scalar(t.Value, flow: true),
        YList l => "[" + string.Join(", ", l.Items.Select(Flow)) + "]",
        YMap m => "{ " + string.Join(", ", m.Entries.Select(e => $"{Key(e.Key)}: {Flow(e.Value)}")) + " }",
        _ => throw new InvalidOperationException("unknown YAML node"),
    };

    private static string Key(string key) => Plain(key) ? key : Quoted(key);

    private static bool Plain(string text) => PlainText().IsMatch(text) && !Reserved.Contains(text) && !text.EndsWith('.');

    private static string Scalar(string value, bool flow) => Plain(value) && !(flow && value.Contains('/')) ? value : Quoted(value);

    /// <summary>A literal block scalar (header and lines) for multi-line text, or a quoted scalar when a block would not load back the same.</summary>
    private static string Block(string value, int indent)
    {
        // Indicators are relative to the parent's indentation, and content always sits two columns in from it.
        return !value.Any(c => char.IsControl(c) && c is not ('\n' or '\t')) && LoadsBack("k: " + BlockAt(value, 2), value)
            ? BlockAt(value, indent)
            : Quoted(value) + "\n";
    }

    private static string BlockAt(string value, int indent)
    {
        var trailing = value.Length - value.TrimEnd('\n').Length;
        var content = trailing == 0 ? value : value[..^1];
        var chomp = trailing switch { 0 => "-", 1 => "", _ => "+" };
        var firstLine = content.Split('\n')[0];
        var block = new StringBuilder(firstLine.Length == 0 || firstLine[0] == ' ' ? $"|2{chomp}\n" : $"|{chomp}\n");
        foreach (var line in content.Split('\n'))
        {
            if (line.Length > 0) block.Append(' ', indent).Append(line);
            block.Append('\n');
        }

        return block.ToString();
    }

    /// <summary>Parses <paramref name="yaml"/> and checks that it holds exactly <paramref name="root"/>'s text; a difference is a bug of this writer.</summary>
    public static void Verify(YMap root, string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        Same(root, stream.Documents[0].RootNode, "");
    }

    private static void Same(YNode expected, YamlNode actual, string path)
    {
        switch (expected, actual)
        {
            case (YText t, YamlScalarNode s) when s.Value == t.Value:
                return;
            case (YList l, YamlSequenceNode q) when q.Children.Count == l.Items.Count:
                for (var i = 0; i < l.Items.Count; i++) Same(l.Items[i], q.Children[i], $"{path}[{i}]");
                return;
            case (YMap m, YamlMappingNode n) when n.Children.Count == m.Entries.Count:
                foreach (var (key, value) in m.Entries) Same(value, n.Children[new YamlScalarNode(key)], $"{path}.{key}");
                return;
            default:
                throw new InvalidOperationException($"the YAML written for {path} does not load back as written");
        }
    }

    private static bool LoadsBack(string document, string expected)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(document));
            var map = (YamlMappingNode)stream.Documents[0].RootNode;
            return map.Children[new YamlScalarNode("k")] is YamlScalarNode { Value: var v } && v == expected;
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return false;
        }
    }

    private static string Quoted(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFEFF' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }
}
