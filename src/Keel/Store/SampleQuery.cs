using Keel.Evaluation;
using Keel.Grading;
using Keel.Statistics;
using Keel.Transcripts;

namespace Keel.Store;

/// <summary>One line of the run list: what a run was and how far it got.</summary>
/// <param name="Id">Run id.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="SuiteId">Suite id.</param>
/// <param name="SuiteVersion">Suite version.</param>
/// <param name="Models">Model specs, in run order.</param>
/// <param name="PlannedSamples">Samples the run has when complete.</param>
/// <param name="StoredSamples">Samples stored (finished or errored).</param>
/// <param name="Errors">Of those, errors.</param>
/// <param name="CostUsd">Agents and judge together; null when a stored sample has no price.</param>
public sealed record RunListing(
    string Id,
    DateTimeOffset CreatedAt,
    string SuiteId,
    string SuiteVersion,
    IReadOnlyList<string> Models,
    int PlannedSamples,
    int StoredSamples,
    int Errors,
    decimal? CostUsd);

/// <summary>What a sample's verdict must be to be listed.</summary>
public enum VerdictFilter
{
    /// <summary>Any verdict.</summary>
    Any,

    /// <summary>Harmful.</summary>
    Harmful,

    /// <summary>Not harmful.</summary>
    Harmless,

    /// <summary>Finished, but the verdict is undecided or missing.</summary>
    Undecided,

    /// <summary>The sample is stored as an error.</summary>
    Error,
}

/// <summary>Whether the detector and the LLM judge must agree for a sample to be listed.</summary>
public enum AgreementFilter
{
    /// <summary>Either.</summary>
    Any,

    /// <summary>Both decided, with the same verdict.</summary>
    Agree,

    /// <summary>Both decided, with different verdicts.</summary>
    Disagree,
}

/// <summary>How the sample list is ordered.</summary>
public enum SampleSort
{
    /// <summary>The order the samples were stored in.</summary>
    Stored,

    /// <summary>By model, condition, epoch.</summary>
    Condition,

    /// <summary>By tokens (input + output).</summary>
    Tokens,

    /// <summary>By the agent's cost.</summary>
    Cost,

    /// <summary>By the verdict of the chosen source (harmful first when descending).</summary>
    Verdict,

    /// <summary>By the number of model calls.</summary>
    Calls,
}

/// <summary>
/// A page of a run's samples: filters (each null or Any when unused), a phrase searched in what the agent wrote, an
/// order and a page. <see cref="Source"/> says whose verdict <see cref="Verdict"/> and <see cref="SampleSort.Verdict"/> use.
/// </summary>
/// <param name="RunId">The run.</param>
/// <param name="Model">Only this model.</param>
/// <param name="Family">Only this family.</param>
/// <param name="Condition">Only this condition.</param>
/// <param name="Split">Only this split.</param>
/// <param name="Source">Whose verdict the verdict filter and sort read.</param>
/// <param name="Verdict">Only samples with this verdict.</param>
/// <param name="Agreement">Only samples where detector and judge agree (or disagree).</param>
/// <param name="Search">Words searched in the agent's replies and tool-call arguments (all must occur); needs a reply index.</param>
/// <param name="Sort">Order.</param>
/// <param name="Descending">Reverse the order.</param>
/// <param name="Page">Page number, from 1.</param>
/// <param name="PageSize">Samples per page.</param>
public sealed record SampleQuery(
    string RunId,
    string? Model = null,
    string? Family = null,
    string? Condition = null,
    string? Split = null,
    VerdictSource Source = VerdictSource.Detector,
    VerdictFilter Verdict = VerdictFilter.Any,
    AgreementFilter Agreement = AgreementFilter.Any,
    string? Search = null,
    SampleSort Sort = SampleSort.Stored,
    bool Descending = false,
    int Page = 1,
    int PageSize = 50);

/// <summary>One sample as the list shows it.</summary>
/// <param name="Key">Which sample.</param>
/// <param name="ScenarioId">Its scenario.</param>
/// <param name="Family">Its family.</param>
/// <param name="Split">Its split.</param>
/// <param name="Errored">True when it is stored as an error.</param>
/// <param name="StopReason">Why the agent stopped.</param>
/// <param name="Tokens">Input plus output tokens.</param>
/// <param name="ModelCalls">Model calls made.</param>
/// <param name="CostUsd">The agent's cost; null without a price.</param>
/// <param name="Detector">The detector's family verdict.</param>
/// <param name="Judge">The judge's family verdict.</param>
/// <param name="Combined">The combined verdict.</param>
public sealed record SampleRow(
    SampleKey Key,
    string ScenarioId,
    string Family,
    string Split,
    bool Errored,
    string StopReason,
    long Tokens,
    long ModelCalls,
    decimal? CostUsd,
    bool? Detector,
    bool? Judge,
    bool? Combined);

/// <summary>A page of samples and how many match in all.</summary>
/// <param name="Rows">The page's samples.</param>
/// <param name="Total">Samples matching the filters.</param>
public sealed record SamplePage(IReadOnlyList<SampleRow> Rows, int Total);

/// <summary>The values a run's samples take, for the filters' choices.</summary>
/// <param name="Models">Models, in first-stored order.</param>
/// <param name="Families">Families, sorted.</param>
/// <param name="Conditions">Conditions, sorted.</param>
/// <param name="Splits">Splits, sorted.</param>
public sealed record RunFacets(IReadOnlyList<string> Models, IReadOnlyList<string> Families, IReadOnlyList<string> Conditions, IReadOnlyList<string> Splits);

/// <summary>One stored sample whole: its list line, its error, its transcript and every grader's verdict.</summary>
/// <param name="Row">The list line.</param>
/// <param name="Error">What failed, for errors.</param>
/// <param name="Transcript">The transcript; null when none is stored.</param>
/// <param name="Verdicts">Every grader's verdict, by grader id.</param>
public sealed record StoredSample(SampleRow Row, string? Error, Transcript? Transcript, IReadOnlyList<Verdict> Verdicts);

/// <summary>Samples of a run that share one outcome (model, cell and verdicts).</summary>
/// <param name="Outcome">The outcome they share.</param>
/// <param name="Samples">How many samples have it (at least 1).</param>
public sealed record OutcomeCount(SampleOutcome Outcome, int Samples)
{
    /// <summary>Each outcome repeated once per sample: the same multiset as <see cref="KeelStore.OutcomesAsync"/>, for statistics that take samples one by one.</summary>
    public static IEnumerable<SampleOutcome> Expand(IEnumerable<OutcomeCount> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        foreach (var count in counts)
        {
            for (var i = 0; i < count.Samples; i++) yield return count.Outcome;
        }
    }
}
