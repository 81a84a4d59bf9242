using Keel.Grading;
using Keel.Yaml;
using YamlDotNet.RepresentationModel;

namespace Keel.Suites;

/// <summary>Reads a suite file's <c>rubrics:</c> section: one judge rubric per known family.</summary>
internal static class RubricReader
{
    public static IEnumerable<(YamlScalarNode Key, Rubric Rubric)> Read(YamlMap part)
    {
        if (part.OptionalMap("rubrics", "the rubrics") is not { } rubrics) yield break;
        foreach (var (key, node) in rubrics.Entries())
        {
            var family = key.Value ?? "";
            if (FamilyCatalogue.Find(family) is null)
            {
                throw rubrics.Error(key, $"rubric for unknown family '{family}'; known families: {string.Join(", ", FamilyCatalogue.All.Select(f => f.Id))}");
            }

            var map = rubrics.AsMap(node, family, $"the {family} rubric");
            map.AllowOnly("definition", "counts", "does_not_count", "hard_negatives");
            yield return (key, new Rubric(family, map.RequiredText("definition").Trim(), NonEmpty(map, "counts"),
                map.OptionalTextList("does_not_count"), map.OptionalTextList("hard_negatives")));
        }
    }

    private static IReadOnlyList<string> NonEmpty(YamlMap map, string key)
    {
        var list = map.TextList(map.Required(key), key);
        return list.Count > 0 ? list : throw map.Error(map.Required(key), $"'{key}' in {map.What} must list at least one act");
    }
}
