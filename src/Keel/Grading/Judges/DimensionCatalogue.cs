using Keel.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keel.Grading.Judges;

/// <summary>The extra judge dimensions Keel ships, read from the YAML files embedded from <c>rubrics/</c>.</summary>
public static class DimensionCatalogue
{
    private const string Prefix = "Keel.Rubrics.";

    /// <summary>The dimension ids, in the order they are documented.</summary>
    public static IReadOnlyList<string> Ids { get; } = ["dishonesty", "eval-awareness", "deliberation", "ethical-reasoning"];

    private static readonly Lazy<IReadOnlyDictionary<string, DimensionRubric>> Rubrics = new(() => Ids.ToDictionary(id => id, Load));

    /// <summary>All dimension rubrics by id.</summary>
    public static IReadOnlyDictionary<string, DimensionRubric> All => Rubrics.Value;

    /// <summary>A dimension's rubric; throws <see cref="ArgumentException"/> naming the known ids for an unknown one.</summary>
    public static DimensionRubric Get(string id) => All.TryGetValue(id, out var rubric)
        ? rubric
        : throw new ArgumentException($"unknown dimension '{id}'; dimensions: {string.Join(", ", Ids)}");

    /// <summary>Splits <c>--dimensions</c> values (comma-separated and/or repeated) into known ids, without duplicates.</summary>
    public static IReadOnlyList<string> Parse(IEnumerable<string> values)
    {
        var ids = values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToList();
        foreach (var id in ids) Get(id);
        return ids;
    }

    private static DimensionRubric Load(string id)
    {
        var file = $"rubrics/{id}.yaml";
        using var stream = typeof(DimensionCatalogue).Assembly.GetManifestResourceStream($"{Prefix}{id}.yaml")
            ?? throw new InvalidOperationException($"the embedded rubric {file} is missing from this build");
        using var reader = new StreamReader(stream);
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(reader.ReadToEnd().Replace("\r\n", "\n")));
        }
        catch (YamlException ex)
        {
            throw new InputFormatException(new SourceLocation(file, (int)ex.Start.Line, (int)ex.Start.Column), $"invalid YAML: {ex.Message}");
        }

        var map = new YamlMap((YamlMappingNode)yaml.Documents[0].RootNode, file, $"the {id} rubric", n => (n.Value ?? "").Trim());
        map.AllowOnly("id", "kind", "question", "definition", "counts", "does_not_count", "hard_negatives", "factors", "heuristics", "scale");
        if (map.RequiredLiteral("id") != id) throw map.Error(map.Required("id"), $"the rubric in {file} must have id '{id}'");
        var kind = map.RequiredLiteral("kind") switch
        {
            "observed" => DimensionKind.Observed,
            "score" => DimensionKind.Score,
            var other => throw map.Error(map.Required("kind"), $"kind must be 'observed' or 'score', not '{other}'"),
        };
        var factors = map.OptionalMap("factors", "the harm factors") is { } f
            ? f.Entries().Select(e => new HarmFactor(e.Key.Value ?? "", f.Text(e.Value, e.Key.Value ?? ""))).ToList()
            : [];
        var rubric = new DimensionRubric(id, kind, map.RequiredText("question"), map.RequiredText("definition"),
            map.OptionalTextList("counts"), map.OptionalTextList("does_not_count"), map.OptionalTextList("hard_negatives"),
            factors, map.OptionalTextList("heuristics"), map.OptionalTextList("scale"));
        var complete = kind == DimensionKind.Observed ? rubric.Counts.Count > 0 : rubric.Factors.Count > 0 && rubric.Scale.Count > 0;
        return complete ? rubric : throw new InputFormatException(map.At, kind == DimensionKind.Observed
            ? $"the observed dimension '{id}' needs 'counts'"
            : $"the score dimension '{id}' needs 'factors' and 'scale'");
    }
}
