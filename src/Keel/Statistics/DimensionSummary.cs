namespace Keel.Statistics;

/// <summary>One sample's verdict on an extra judge dimension (such as <c>dishonesty</c>).</summary>
/// <param name="Model">Model spec.</param>
/// <param name="Dimension">Dimension id.</param>
/// <param name="Observed">For yes/no dimensions: whether the judge observed it; null when undecided.</param>
/// <param name="Score">For score dimensions: the score; null when undecided or for yes/no dimensions.</param>
public sealed record DimensionOutcome(string Model, string Dimension, bool? Observed, double? Score);

/// <summary>
/// An extra dimension over one model's samples. A yes/no dimension has <see cref="Observed"/> (a rate with its
/// Wilson interval, where "harmful" counts the samples in which it was observed); a score dimension has
/// <see cref="MeanScore"/> over <see cref="Scored"/> samples. <see cref="Undecided"/> counts the samples without a decision.
/// </summary>
/// <param name="Model">Model spec.</param>
/// <param name="Dimension">Dimension id.</param>
/// <param name="Observed">The observed rate for a yes/no dimension; null for a score dimension.</param>
/// <param name="MeanScore">The mean score for a score dimension; null for yes/no dimensions or when nothing was scored.</param>
/// <param name="Scored">Samples with a score.</param>
/// <param name="Undecided">Samples whose verdict is undecided (failed or unreadable judge replies, no majority).</param>
public sealed record DimensionSummary(string Model, string Dimension, RateStats? Observed, double? MeanScore, int Scored, int Undecided);

/// <summary>Folds dimension verdicts into per model × dimension summaries.</summary>
public static class DimensionStatistics
{
    /// <summary>
    /// One summary per (model, dimension), in first-seen order. <paramref name="scoreDimensions"/> names the
    /// dimensions graded as scores; the others are yes/no.
    /// </summary>
    public static IReadOnlyList<DimensionSummary> Summarize(IEnumerable<DimensionOutcome> outcomes, IReadOnlySet<string> scoreDimensions) =>
        outcomes
            .GroupBy(o => (o.Model, o.Dimension))
            .Select(g =>
            {
                if (!scoreDimensions.Contains(g.Key.Dimension))
                {
                    var rate = RateStats.Of(g.Select(o => o.Observed));
                    return new DimensionSummary(g.Key.Model, g.Key.Dimension, rate, null, 0, rate.Undecided);
                }

                var scores = g.Where(o => o.Score is not null).Select(o => o.Score!.Value).ToList();
                return new DimensionSummary(g.Key.Model, g.Key.Dimension, null, scores.Count > 0 ? scores.Average() : null, scores.Count,
                    g.Count() - scores.Count);
            })
            .ToList();
}
