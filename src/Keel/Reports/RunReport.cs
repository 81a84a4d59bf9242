using Keel.Statistics;

namespace Keel.Reports;

/// <summary>
/// One model's rates in a run: family and overall means under the detectors, and under the LLM judge and the combined
/// policy when the run has a judge, with the detector–judge agreement.
/// </summary>
/// <param name="Model">Model spec.</param>
/// <param name="Detector">Family and overall rates from the detector verdicts.</param>
/// <param name="Judge">From the judge's verdicts; null without a judge.</param>
/// <param name="Combined">From the combined verdicts; null without a judge.</param>
/// <param name="Agreement">Detector–judge agreement over the model's finished samples; null without a judge.</param>
/// <param name="Errors">The model's samples stored as errors (left out of every rate).</param>
/// <param name="Undecided">Finished samples whose detector verdict is undecided (left out of every detector rate).</param>
public sealed record ModelRates(
    string Model,
    AggregateSummary Detector,
    AggregateSummary? Judge,
    AggregateSummary? Combined,
    Agreement? Agreement,
    int Errors,
    int Undecided)
{
    /// <summary>The summary of one verdict source; null when the run has none of that kind.</summary>
    public AggregateSummary? Of(VerdictSource source) => source switch
    {
        VerdictSource.Detector => Detector,
        VerdictSource.Judge => Judge,
        VerdictSource.Combined => Combined,
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "unknown verdict source"),
    };
}

/// <summary>
/// Everything a report shows about one run: the run itself, every model × condition cell with its Wilson interval,
/// each model's family and overall means with bootstrap intervals, and the judge's extra dimensions.
/// </summary>
/// <param name="Run">What the run was and how far it got.</param>
/// <param name="Cells">Model × condition cells, models in run order, conditions in suite order.</param>
/// <param name="Models">Family and overall rates per model, in run order.</param>
/// <param name="Dimensions">Extra judge dimensions per model; empty when none were graded.</param>
/// <param name="Bootstrap">The bootstrap settings of every mean's interval.</param>
public sealed record RunReport(
    RunOverview Run,
    IReadOnlyList<CellSummary> Cells,
    IReadOnlyList<ModelRates> Models,
    IReadOnlyList<DimensionSummary> Dimensions,
    BootstrapOptions Bootstrap)
{
    /// <summary>True when the run was graded by an LLM judge as well as the detectors.</summary>
    public bool Judged => Models.Any(m => m.Judge is not null);

    /// <summary>The rates of <paramref name="model"/>; null when the run has no such model.</summary>
    public ModelRates? For(string model) => Models.FirstOrDefault(m => m.Model == model);
}
