using System.Globalization;
using Keel.Evaluation;
using Keel.Statistics;
using Keel.Store;
using Microsoft.AspNetCore.Http;

namespace Keel.Viewer;

/// <summary>The URL of every page state; every value goes through the query-string encoder.</summary>
internal static class Links
{
    /// <summary>The run list.</summary>
    public const string Runs = "/";

    /// <summary>A run.</summary>
    public static string Run(string runId) => "/runs/" + Uri.EscapeDataString(runId);

    /// <summary>A chart of a run.</summary>
    public static string RunChart(string runId, int index) => $"{Run(runId)}/charts/{index.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A page of samples; parameters at their defaults are left out.</summary>
    public static string Samples(SampleQuery q)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value)) pairs.Add(new(key, value));
        }

        Add("model", q.Model);
        Add("family", q.Family);
        Add("condition", q.Condition);
        Add("split", q.Split);
        if (q.Source != VerdictSource.Detector) Add("source", Name(q.Source));
        if (q.Verdict != VerdictFilter.Any) Add("verdict", Name(q.Verdict));
        if (q.Agreement != AgreementFilter.Any) Add("agreement", Name(q.Agreement));
        Add("q", q.Search);
        if (q.Sort != SampleSort.Stored) Add("sort", Name(q.Sort));
        if (q.Descending) Add("desc", "1");
        if (q.Page > 1) Add("page", q.Page.ToString(CultureInfo.InvariantCulture));
        if (q.PageSize != SampleQueries.DefaultPageSize) Add("size", q.PageSize.ToString(CultureInfo.InvariantCulture));
        return Run(q.RunId) + "/samples" + QueryString.Create(pairs);
    }

    /// <summary>One sample's transcript.</summary>
    public static string Sample(string runId, SampleKey key) => Run(runId) + "/sample" + QueryString.Create(new KeyValuePair<string, string?>[]
    {
        new("model", key.Model), new("condition", key.ConditionId), new("epoch", key.Epoch.ToString(CultureInfo.InvariantCulture)),
    });

    /// <summary>A comparison of two sides, each RUN or RUN:MODEL.</summary>
    public static string Compare(string? baseline, string? candidate, VerdictSource source) => "/compare" + QueryString.Create(
        new[] { new KeyValuePair<string, string?>("baseline", baseline), new("candidate", candidate), new("source", source == VerdictSource.Detector ? null : Name(source)) }
            .Where(p => !string.IsNullOrEmpty(p.Value)));

    /// <summary>An enum value as it appears in URLs.</summary>
    public static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
