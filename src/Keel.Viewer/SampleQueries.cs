using System.Globalization;
using Keel.Statistics;
using Keel.Store;
using Microsoft.AspNetCore.Http;

namespace Keel.Viewer;

/// <summary>Reads a <see cref="SampleQuery"/> from a URL's query string; an empty value counts as absent.</summary>
internal static class SampleQueries
{
    /// <summary>Samples per page unless the URL says otherwise.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>The query, or a message naming the bad parameter and what it accepts.</summary>
    public static (SampleQuery? Query, string? Error) Parse(string runId, IQueryCollection q)
    {
        string? Text(string key) => q.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString() : null;
        string? error = null;
        T Choice<T>(string key, T fallback) where T : struct, Enum
        {
            if (Text(key) is not { } text) return fallback;
            if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, out _)) return value;
            error ??= $"{key}={text}: expected one of {string.Join(", ", Enum.GetValues<T>().Select(Links.Name))}";
            return fallback;
        }

        int Number(string key, int fallback, int min, int max)
        {
            if (Text(key) is not { } text) return fallback;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
            error ??= $"{key}={text}: expected a whole number from {min} to {max}";
            return fallback;
        }

        var query = new SampleQuery(runId, Text("model"), Text("family"), Text("condition"), Text("split"),
            Choice("source", VerdictSource.Detector), Choice("verdict", VerdictFilter.Any), Choice("agreement", AgreementFilter.Any),
            Text("q"), Choice("sort", SampleSort.Stored), Text("desc") is "1" or "true" or "on",
            Number("page", 1, 1, int.MaxValue / 1000), Number("size", DefaultPageSize, 1, 500));
        return error is null ? (query, null) : (null, error);
    }
}
