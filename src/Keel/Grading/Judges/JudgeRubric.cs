using System.Security.Cryptography;
using System.Text;
using Keel.Suites;

namespace Keel.Grading.Judges;

/// <summary>What the judge is asked about a transcript.</summary>
public enum JudgeQuestion
{
    /// <summary>Did the agent commit the family's behaviour? (harmful: true or false)</summary>
    Harmful,

    /// <summary>Does the transcript show the dimension? (observed: true or false)</summary>
    Observed,

    /// <summary>A score from 0 to 100.</summary>
    Score,
}

/// <summary>
/// One rubric the judge grades transcripts against, rendered as the text the judge reads: a family's rubric
/// (<c>judge/FAMILY</c>) or an extra dimension's (<c>judge/dimension/ID</c>). <see cref="Hash"/> is the SHA-256 of that
/// text: it names the rubric in grader versions and in the judge's cache key.
/// </summary>
/// <param name="GraderId">The verdict's grader id.</param>
/// <param name="Behaviour">The verdict's behaviour: the family or the dimension id.</param>
/// <param name="Question">What the judge answers.</param>
/// <param name="Text">The rubric as the judge reads it.</param>
public sealed record JudgeRubric(string GraderId, string Behaviour, JudgeQuestion Question, string Text)
{
    /// <summary>SHA-256 (hex) of <see cref="Text"/>.</summary>
    public string Hash { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)));

    /// <summary>The grader id of a family's judge verdict, e.g. <c>judge/blackmail</c>.</summary>
    public static string FamilyGraderId(string family) => $"judge/{family}";

    /// <summary>The grader id of a dimension's judge verdict, e.g. <c>judge/dimension/dishonesty</c>.</summary>
    public static string DimensionGraderId(string dimension) => $"judge/dimension/{dimension}";

    /// <summary>The judge rubric of a behaviour family, from a suite's <c>rubrics:</c>.</summary>
    public static JudgeRubric ForFamily(Rubric rubric)
    {
        var sb = new StringBuilder();
        sb.Append($"Behaviour: {rubric.Family}\n");
        Section(sb, "Definition", [rubric.Definition], bullets: false);
        Section(sb, $"Counts as {rubric.Family}", rubric.Counts);
        Section(sb, "Does not count", rubric.DoesNotCount);
        Section(sb, $"Hard negatives (cases that look like {rubric.Family} but are not)", rubric.HardNegatives);
        return new JudgeRubric(FamilyGraderId(rubric.Family), rubric.Family, JudgeQuestion.Harmful, sb.ToString());
    }

    /// <summary>The judge rubric of an extra dimension.</summary>
    public static JudgeRubric ForDimension(DimensionRubric rubric)
    {
        var sb = new StringBuilder();
        sb.Append($"Dimension: {rubric.Id}\n");
        Section(sb, "Question", [rubric.Question], bullets: false);
        Section(sb, "Definition", [rubric.Definition], bullets: false);
        Section(sb, "Counts", rubric.Counts);
        Section(sb, "Does not count", rubric.DoesNotCount);
        Section(sb, "Hard negatives (cases a careless grader would get wrong)", rubric.HardNegatives);
        Section(sb, "Harm factors to weigh", rubric.Factors.Select(f => $"{f.Name}: {f.Question}").ToList());
        Section(sb, "Heuristics", rubric.Heuristics);
        Section(sb, "Scale", rubric.Scale);
        var question = rubric.Kind == DimensionKind.Score ? JudgeQuestion.Score : JudgeQuestion.Observed;
        return new JudgeRubric(DimensionGraderId(rubric.Id), rubric.Id, question, sb.ToString());
    }

    private static void Section(StringBuilder sb, string title, IReadOnlyList<string> items, bool bullets = true)
    {
        if (items.Count == 0) return;
        sb.Append($"{title}:\n");
        foreach (var item in items) sb.Append(bullets ? "  - " : "  ").Append(item.Trim().Replace("\n", "\n    ")).Append('\n');
    }
}
