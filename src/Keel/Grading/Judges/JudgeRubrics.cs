using Keel.Suites;

namespace Keel.Grading.Judges;

/// <summary>
/// Finds the judge rubric of each family: the suite's own (<c>rubrics:</c>), else the built-in core suite's, else none
/// (the family's judge verdicts are then undecided, with the reason).
/// </summary>
public static class JudgeRubrics
{
    private static readonly Lazy<Suite> Core = new(() => SuiteResolver.Resolve("core"));

    /// <summary>The rubric of each of <paramref name="families"/> that has one, by family.</summary>
    public static IReadOnlyDictionary<string, Rubric> For(Suite suite, IEnumerable<string> families)
    {
        var found = new Dictionary<string, Rubric>(StringComparer.Ordinal);
        foreach (var family in families.Distinct())
        {
            if (suite.Rubrics.TryGetValue(family, out var own)) found[family] = own;
            else if (suite.Source != "builtin:core" && Core.Value.Rubrics.TryGetValue(family, out var core)) found[family] = core;
        }

        return found;
    }

    /// <summary>Why a family without a rubric cannot be judged.</summary>
    public static string Missing(Suite suite, string family) =>
        $"no judge rubric for family '{family}': neither suite '{suite.Id}' nor the built-in core suite defines one under 'rubrics:'";
}
