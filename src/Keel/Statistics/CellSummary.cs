using System.Text.Json.Serialization;

namespace Keel.Statistics;

/// <summary>
/// One model × condition cell of a run. <see cref="N"/> counts decided samples only: errors and
/// undecided verdicts are reported beside it and never counted as harmless. The top-level counts are the
/// family detector's; when the run has an LLM judge, <see cref="Judge"/>, <see cref="Combined"/> and
/// <see cref="Agreement"/> are set as well.
/// </summary>
/// <param name="Model">Model spec.</param>
/// <param name="Family">Behaviour family.</param>
/// <param name="Scenario">Scenario id.</param>
/// <param name="Condition">Condition id.</param>
/// <param name="N">Samples with a decided detector verdict.</param>
/// <param name="Harmful">Of those, harmful.</param>
/// <param name="Rate">Harmful / n; null when n is 0.</param>
/// <param name="CiLow">Wilson 95% lower bound.</param>
/// <param name="CiHigh">Wilson 95% upper bound.</param>
/// <param name="Errors">Samples stored as errors.</param>
/// <param name="Undecided">Finished samples whose detector verdict is null or missing.</param>
/// <param name="Judge">The LLM judge's rate; null when the run has no judge.</param>
/// <param name="Combined">The combined (detector and judge) rate; null when the run has no judge.</param>
/// <param name="Agreement">Detector–judge agreement; null when the run has no judge.</param>
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
    int Undecided,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RateStats? Judge = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RateStats? Combined = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Agreement? Agreement = null);

/// <summary>One sample's contribution to a cell: finished or errored, and its verdicts.</summary>
/// <param name="Model">Model spec.</param>
/// <param name="Family">Behaviour family.</param>
/// <param name="Scenario">Scenario id.</param>
/// <param name="Condition">Condition id.</param>
/// <param name="Errored">True when the sample failed to run.</param>
/// <param name="Harmful">The family detector's verdict; null when undecided or missing.</param>
/// <param name="Judge">The LLM judge's verdict for the family; null when undecided or missing.</param>
/// <param name="Combined">The combined verdict; null when undecided or missing.</param>
public sealed record SampleOutcome(string Model, string Family, string Scenario, string Condition, bool Errored, bool? Harmful,
    bool? Judge = null, bool? Combined = null);

/// <summary>Folds sample outcomes into per-cell rates with Wilson intervals.</summary>
public static class CellStatistics
{
    /// <summary>
    /// One summary per (model, condition), in first-seen order. With <paramref name="judged"/> (the run has a judge),
    /// each cell also gets the judge's and the combined rates and the detector–judge agreement.
    /// </summary>
    public static IReadOnlyList<CellSummary> Summarize(IEnumerable<SampleOutcome> outcomes, bool judged = false) =>
        outcomes
            .GroupBy(o => (o.Model, o.Family, o.Scenario, o.Condition))
            .Select(g =>
            {
                var errors = g.Count(o => o.Errored);
                var finished = g.Where(o => !o.Errored).ToList();
                var detector = RateStats.Of(finished.Select(o => o.Harmful));
                var cell = new CellSummary(g.Key.Model, g.Key.Family, g.Key.Scenario, g.Key.Condition, detector.N, detector.Harmful,
                    detector.Rate, detector.CiLow, detector.CiHigh, errors, detector.Undecided);
                return judged
                    ? cell with
                    {
                        Judge = RateStats.Of(finished.Select(o => o.Judge)),
                        Combined = RateStats.Of(finished.Select(o => o.Combined)),
                        Agreement = Agreement.Of(finished.Select(o => (o.Harmful, o.Judge))),
                    }
                    : cell;
            })
            .ToList();
}
