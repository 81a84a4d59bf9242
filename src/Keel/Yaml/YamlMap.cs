using YamlDotNet.RepresentationModel;

namespace Keel.Yaml;

/// <summary>
/// Reads one YAML mapping of a suite file with exact error locations: unknown keys, missing
/// fields and wrong node kinds become <see cref="InputFormatException"/>s naming file:line:column.
/// Template text is passed through the renderer of the condition being built.
/// </summary>
internal sealed class YamlMap
{
    private readonly YamlMappingNode _node;

    public YamlMap(YamlMappingNode node, string file, string what, Func<YamlScalarNode, string> render)
    {
        _node = node;
        File = file;
        What = what;
        Render = render;
    }

    public string File { get; }

    /// <summary>What this mapping is, for messages: "scenario 'blackmail'".</summary>
    public string What { get; }

    public Func<YamlScalarNode, string> Render { get; }

    public YamlMappingNode Node => _node;

    public SourceLocation At => Location(File, _node);

    public static SourceLocation Location(string file, YamlNode node) => new(file, node.Start.Line, node.Start.Column);

    public InputFormatException Error(YamlNode node, string problem) => new(Location(File, node), problem);

    /// <summary>Rejects any key not in <paramref name="allowed"/>, suggesting the nearest allowed key.</summary>
    public void AllowOnly(params string[] allowed)
    {
        foreach (var key in _node.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (allowed.Contains(name, StringComparer.Ordinal)) continue;
            var hint = Nearest(name, allowed) is { } near ? $"did you mean '{near}'? " : "";
            throw Error(key, $"unknown key '{name}' in {What}; {hint}allowed keys are: {string.Join(", ", allowed)}");
        }
    }

    public YamlNode? Get(string key) =>
        _node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public YamlScalarNode KeyNode(string key) =>
        (YamlScalarNode)_node.Children.Keys.First(k => (k as YamlScalarNode)?.Value == key);

    public YamlNode Required(string key) =>
        Get(key) ?? throw new InputFormatException(At, $"{What} is missing the required field '{key}'; add '{key}:' to it");

    /// <summary>A plain identifier-like value, never rendered.</summary>
    public string RequiredLiteral(string key) => Literal(Required(key), key);

    public string? OptionalLiteral(string key) => Get(key) is { } node ? Literal(node, key) : null;

    /// <summary>A template value rendered for the current condition.</summary>
    public string RequiredText(string key) => Text(Required(key), key);

    public string? OptionalText(string key) => Get(key) is { } node ? Text(node, key) : null;

    public bool OptionalBool(string key, bool fallback)
    {
        if (Get(key) is not { } node) return fallback;
        var text = Literal(node, key);
        return text switch
        {
            "true" or "yes" => true,
            "false" or "no" => false,
            _ => throw Error(node, $"'{key}' in {What} must be true or false, not '{text}'"),
        };
    }

    public YamlMap RequiredMap(string key, string what) => AsMap(Required(key), key, what);

    public YamlMap? OptionalMap(string key, string what) => Get(key) is { } node ? AsMap(node, key, what) : null;

    public IReadOnlyList<YamlNode> OptionalSequence(string key) =>
        Get(key) is { } node ? AsSequence(node, key) : [];

    public IReadOnlyList<YamlNode> RequiredSequence(string key) => AsSequence(Required(key), key);

    /// <summary>A list of strings; a single scalar counts as a one-item list.</summary>
    public IReadOnlyList<string> OptionalTextList(string key) => Get(key) is { } node ? TextList(node, key) : [];

    public IReadOnlyList<string> TextList(YamlNode node, string key) => node switch
    {
        YamlScalarNode scalar => [Render(scalar)],
        YamlSequenceNode seq => seq.Children.Select(item => Text(item, key)).ToList(),
        _ => throw Error(node, $"'{key}' in {What} must be a text or a list of texts"),
    };

    public YamlMap AsMap(YamlNode node, string key, string what) => node is YamlMappingNode map
        ? new YamlMap(map, File, what, Render)
        : throw Error(node, $"'{key}' in {What} must be a mapping (key: value lines)");

    public IReadOnlyList<YamlNode> AsSequence(YamlNode node, string key) => node switch
    {
        YamlSequenceNode seq => seq.Children.ToList(),
        YamlScalarNode { Value: null or "" } => [],
        _ => throw Error(node, $"'{key}' in {What} must be a list ('- item' lines)"),
    };

    public string Literal(YamlNode node, string key) => node is YamlScalarNode { Value: { } value }
        ? value
        : throw Error(node, $"'{key}' in {What} must be a single value");

    public string Text(YamlNode node, string key) => node is YamlScalarNode scalar
        ? Render(scalar)
        : throw Error(node, $"'{key}' in {What} must be text");

    public IEnumerable<(YamlScalarNode Key, YamlNode Value)> Entries()
    {
        foreach (var (key, value) in _node.Children)
        {
            if (key is not YamlScalarNode scalarKey) throw Error(key, $"keys in {What} must be plain names");
            yield return (scalarKey, value);
        }
    }

    private static string? Nearest(string name, IEnumerable<string> candidates)
    {
        var best = candidates
            .Select(c => (c, d: Distance(name.ToLowerInvariant(), c)))
            .OrderBy(x => x.d)
            .FirstOrDefault();
        return best.c is not null && best.d <= Math.Max(2, name.Length / 3) ? best.c : null;
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
