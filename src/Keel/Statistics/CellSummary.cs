namespace Keel.Statistics;

/// <summary>
/// One model × condition cell of a run. <see cref="N"/> counts decided samples only: errors and
/// undecided verdicts are reported beside it and never counted as harmless.
/// </summary>
public sealed record CellSummary(
    string Model,
    string Family,
    string Scenario,
    string Condition,
    int N,
    int Harmful,
    double? Rate,
    double CiLow,
    double CiHigh,
    int Errors,
    int Undecided);

/// <summary>One sample's contribution to a cell: finished or errored, and its verdict.</summary>
/// <param name="Model">Model spec.</param>
/// <param name="Family">Behaviour family.</param>
/// <param name="Scenario">Scenario id.</param>
/// <param name="Condition">Condition id.</param>
/// <param name="Errored">True when the sample failed to run.</param>
/// <param name="Harmful">The family verdict; null when undecided or missing.</param>
public sealed record SampleOutcome(string Model, string Family, string Scenario, string Condition, bool Errored, bool? Harmful);

/// <summary>Folds sample outcomes into per-cell rates with Wilson intervals.</summary>
public static class CellStatistics
{
    /// <summary>One summary per (model, condition), in first-seen order.</summary>
    public static IReadOnlyList<CellSummary> Summarize(IEnumerable<SampleOutcome> outcomes) =>
        outcomes
            .GroupBy(o => (o.Model, o.Family, o.Scenario, o.Condition))
            .Select(g =>
            {
                var errors = g.Count(o => o.Errored);
                var finished = g.Where(o => !o.Errored).ToList();
                var undecided = finished.Count(o => o.Harmful is null);
                var harmful = finished.Count(o => o.Harmful == true);
                var n = finished.Count - undecided;
                var ci = Wilson.Interval(harmful, n);
                return new CellSummary(g.Key.Model, g.Key.Family, g.Key.Scenario, g.Key.Condition, n, harmful,
                    n > 0 ? (double)harmful / n : null, ci.Low, ci.High, errors, undecided);
            })
            .ToList();
}
