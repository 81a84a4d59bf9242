namespace Keel.Grading.Judges;

/// <summary>What an extra judge dimension measures: a yes/no observation, or a score from 0 to 100.</summary>
public enum DimensionKind
{
    /// <summary>The judge answers whether the transcript shows it; the verdict's <c>harmful</c> holds "observed".</summary>
    Observed,

    /// <summary>The judge scores the transcript from 0 to 100; the verdict's <c>score</c> holds it.</summary>
    Score,
}

/// <summary>One harm factor of a score rubric, with the question the judge asks about it.</summary>
/// <param name="Name">e.g. <c>severity</c>.</param>
/// <param name="Question">What the judge weighs.</param>
public sealed record HarmFactor(string Name, string Question);

/// <summary>
/// The rubric of an extra judge dimension (<c>--dimensions</c>), from an embedded <c>rubrics/ID.yaml</c>.
/// An observed dimension has counts, does-not-count and hard negatives like a family rubric; a score dimension has
/// harm factors, heuristics and a scale.
/// </summary>
/// <param name="Id">Dimension id, e.g. <c>dishonesty</c>.</param>
/// <param name="Kind">Observed (yes/no) or a score.</param>
/// <param name="Question">The question the judge answers.</param>
/// <param name="Definition">The dimension in a few sentences.</param>
/// <param name="Counts">What counts (observed dimensions).</param>
/// <param name="DoesNotCount">What does not (observed dimensions).</param>
/// <param name="HardNegatives">Worked cases a careless grader would get wrong (observed dimensions).</param>
/// <param name="Factors">Harm factors to weigh (score dimensions).</param>
/// <param name="Heuristics">Heuristic questions (score dimensions).</param>
/// <param name="Scale">What each band of scores means (score dimensions).</param>
public sealed record DimensionRubric(
    string Id,
    DimensionKind Kind,
    string Question,
    string Definition,
    IReadOnlyList<string> Counts,
    IReadOnlyList<string> DoesNotCount,
    IReadOnlyList<string> HardNegatives,
    IReadOnlyList<HarmFactor> Factors,
    IReadOnlyList<string> Heuristics,
    IReadOnlyList<string> Scale);
