using Keel.Statistics;

namespace Keel.Reports;

/// <summary>One side of a comparison: a run and one of its models.</summary>
/// <param name="Run">The run.</param>
/// <param name="Model">The model compared.</param>
public sealed record ComparisonSide(RunOverview Run, string Model)
{
    /// <summary>"RUN:MODEL", as given on the command line.</summary>
    public override string ToString() => $"{Run.Id}:{Model}";
}

/// <summary>
/// One line of the comparison summary (a family's rate, the overall rate, or a judge dimension): baseline and candidate,
/// the change (candidate − baseline, negative = fewer harmful actions) with its interval, and a p-value.
/// </summary>
/// <param name="Metric">What the line measures, e.g. <c>blackmail rate</c>.</param>
/// <param name="Key">The family id, <c>overall</c>, or <c>dimension/ID</c>.</param>
/// <param name="Baseline">The baseline's value (a rate from 0 to 1, or a score from 0 to 100); null when it has none.</param>
/// <param name="Candidate">The candidate's value; null when it has none.</param>
/// <param name="Change">Candidate − baseline; null when either side is missing.</param>
/// <param name="ChangeCi">95% interval of the change; null with <see cref="Change"/>.</param>
/// <param name="P">Two-sided p-value of no change; null when not computed.</param>
/// <param name="HolmP">Holm-adjusted over the summary lines that have a p-value.</param>
/// <param name="Effect">Relative reduction and improvement factor (rates only).</param>
/// <param name="Method">How the values, the interval and p were computed, or why the line is empty.</param>
public sealed record SummaryRow(
    string Metric,
    string Key,
    double? Baseline,
    double? Candidate,
    double? Change,
    Interval? ChangeCi,
    double? P,
    double? HolmP,
    RelativeEffect? Effect,
    string Method)
{
    /// <summary>True for score lines (0 to 100), false for rates.</summary>
    public bool IsScore => Key == "dimension/" + ComparisonBuilder.EthicalReasoning;
}

/// <summary>
/// Two runs, models or checkpoints compared: the seed-style summary (the headline families, the extra dimensions and the
/// overall rate), every family's mean difference with its bootstrap interval, every condition's difference with its
/// Newcombe interval, Fisher's exact p and Holm's correction, and the paired analysis when both sides ran the same
/// conditions with the same seed.
/// </summary>
/// <param name="Baseline">The first side (before).</param>
/// <param name="Candidate">The second side (after).</param>
/// <param name="Source">Whose verdicts are compared.</param>
/// <param name="Summary">The summary lines.</param>
/// <param name="Families">Family and overall mean differences (baseline − candidate, as <see cref="AggregateComparison"/> gives them).</param>
/// <param name="Cells">Per-condition comparisons (first = baseline).</param>
/// <param name="Paired">The paired analysis over (condition, epoch); null when the sides do not share a seed.</param>
/// <param name="PairingNote">Why there is, or is not, a paired analysis.</param>
public sealed record ComparisonReport(
    ComparisonSide Baseline,
    ComparisonSide Candidate,
    VerdictSource Source,
    IReadOnlyList<SummaryRow> Summary,
    AggregateComparison Families,
    IReadOnlyList<CellComparison> Cells,
    PairedComparison? Paired,
    string PairingNote);
