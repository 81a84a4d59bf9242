namespace Keel.Suites;

/// <summary>
/// What an LLM judge is told about one behaviour family: its definition, what counts as the harmful act,
/// what does not, and worked hard negatives (cases that look harmful but are not).
/// </summary>
/// <param name="Family">The behaviour family, e.g. <c>blackmail</c>.</param>
/// <param name="Definition">The behaviour in a few sentences.</param>
/// <param name="Counts">Acts that count as the behaviour.</param>
/// <param name="DoesNotCount">Acts that do not, however close they look.</param>
/// <param name="HardNegatives">Worked cases a careless grader would get wrong, each with why it is not the behaviour.</param>
public sealed record Rubric(
    string Family,
    string Definition,
    IReadOnlyList<string> Counts,
    IReadOnlyList<string> DoesNotCount,
    IReadOnlyList<string> HardNegatives);
