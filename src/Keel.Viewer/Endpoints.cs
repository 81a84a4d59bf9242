using System.Globalization;
using Keel.Evaluation;
using Keel.Reports;
using Keel.Statistics;
using Keel.Store;
using Keel.Viewer.Components;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Keel.Viewer;

/// <summary>The viewer's pages: GET and HEAD only (anything else is answered 405), every page state in its URL.</summary>
internal static class Endpoints
{
    private static readonly string[] Read = ["GET", "HEAD"];

    /// <summary>Maps every page.</summary>
    public static void Map(WebApplication app)
    {
        app.MapMethods("/", Read, RunsAsync);
        app.MapMethods("/runs/{id}", Read, RunAsync);
        app.MapMethods("/runs/{id}/charts/{index:int}", Read, RunChartAsync);
        app.MapMethods("/runs/{id}/samples", Read, SamplesAsync);
        app.MapMethods("/runs/{id}/sample", Read, SampleAsync);
        app.MapMethods("/compare", Read, CompareAsync);
        app.MapMethods("/static/viewer.css", Read, Css);
    }

    private static async Task<IResult> RunsAsync(ViewerData data, CancellationToken ct) =>
        Page<RunsPage>(new { Runs = await data.RunListingsAsync(ct), StorePath = data.Store.Path });

    private static async Task<IResult> RunAsync(string id, ViewerData data, CancellationToken ct)
    {
        if (await data.RunAsync(id, ct) is not { } run) return NoRun(id);
        var (report, charts) = await run.ReportAsync(ct);
        return Page<RunPage>(new
        {
            Report = report,
            Document = ReportLayout.Of([report]),
            Charts = charts.Select(c => c.Plan).ToList(),
            Facets = await run.FacetsAsync(ct),
        });
    }

    private static async Task<IResult> RunChartAsync(string id, int index, ViewerData data, CancellationToken ct)
    {
        if (await data.RunAsync(id, ct) is not { } run) return NoRun(id);
        var (_, charts) = await run.ReportAsync(ct);
        return index >= 0 && index < charts.Count
            ? Results.File(charts[index].Png, "image/png")
            : Problem(StatusCodes.Status404NotFound, "Not found", $"run {id} has {charts.Count} chart(s), numbered from 0");
    }

    private static async Task<IResult> SamplesAsync(string id, HttpRequest request, ViewerData data, CancellationToken ct)
    {
        var (query, error) = SampleQueries.Parse(id, request.Query);
        if (query is null) return Problem(StatusCodes.Status400BadRequest, "Bad address", error!);
        if (await data.RunAsync(id, ct) is not { } run) return NoRun(id);
        string? searchProblem = null;
        if (ReplyIndex.MatchExpression(query.Search) is not null && !await data.UpdateIndexAsync(ct))
        {
            searchProblem = data.SearchProblem;
            query = query with { Search = null };
        }

        var total = await run.CountAsync(query, ct);
        return Page<SamplesPage>(new
        {
            Query = query,
            Page = new SamplePage(await data.Store.SamplePageAsync(query, ct), total),
            Facets = await run.FacetsAsync(ct),
            Judged = (await run.RunAsync(ct))?.Config.ResolvedJudge is not null,
            SearchProblem = searchProblem,
        });
    }

    private static async Task<IResult> SampleAsync(string id, HttpRequest request, ViewerData data, CancellationToken ct)
    {
        var q = request.Query;
        string? model = q["model"], condition = q["condition"], epochText = q["epoch"];
        if (string.IsNullOrEmpty(model) || string.IsNullOrEmpty(condition) || !int.TryParse(epochText, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
            return Problem(StatusCodes.Status400BadRequest, "Bad address", "a sample is named by model, condition and epoch (a whole number), e.g. ?model=M&condition=C&epoch=1");
        var sample = await data.Store.SampleAsync(id, new SampleKey(model, condition, epoch), ct);
        if (sample is null) return Problem(StatusCodes.Status404NotFound, "No such sample", $"run {id} has no stored sample {model} {condition} #{epoch}");
        return Page<TranscriptPage>(new { RunId = id, View = TranscriptView.Of(sample) });
    }

    private static async Task<IResult> CompareAsync(HttpRequest request, ViewerData data, CancellationToken ct)
    {
        var runs = await data.RunListingsAsync(ct);
        var sides = runs.SelectMany(r => r.Models.Select(m => $"{r.Id}:{m}")).ToList();
        string? Side(string key)
        {
            var text = request.Query[key].ToString();
            if (string.IsNullOrEmpty(text)) return null;
            if (text.Contains(':', StringComparison.Ordinal)) return text;
            return runs.FirstOrDefault(r => r.Id == text) is { Models.Count: 1 } one ? $"{one.Id}:{one.Models[0]}" : text;
        }

        var (baseline, candidate) = (Side("baseline"), Side("candidate"));
        var sourceText = request.Query["source"].ToString();
        var source = VerdictSource.Detector;
        if (sourceText.Length > 0 && (!Enum.TryParse(sourceText, true, out source) || !Enum.IsDefined(source) || int.TryParse(sourceText, out _)))
            return Problem(StatusCodes.Status400BadRequest, "Bad address", $"source={sourceText}: expected detector, judge or combined");
        if (baseline is null || candidate is null)
            return Page<ComparePage>(new { Sides = sides, Baseline = baseline ?? sides.FirstOrDefault(), Candidate = candidate ?? sides.Skip(1).FirstOrDefault(), Source = source });

        try
        {
            var (b, bm) = await SideAsync(data, baseline, "baseline", ct);
            var (c, cm) = await SideAsync(data, candidate, "candidate", ct);
            var comparison = await ComparisonBuilder.BuildAsync(data.Store, b, bm, c, cm, source, ct);
            return Page<ComparePage>(new
            {
                Sides = sides, Baseline = baseline, Candidate = candidate, Source = source,
                Document = ReportLayout.Of(comparison), Charts = ReportCharts.Of(comparison),
            });
        }
        catch (ReportInputException ex)
        {
            return Page<ComparePage>(new { Sides = sides, Baseline = baseline, Candidate = candidate, Source = source, Problem = ex.Message }, StatusCodes.Status400BadRequest);
        }
    }

    /// <summary>Reads RUN:MODEL (split at the first colon: model specs may hold colons, run ids do not).</summary>
    private static async Task<(RunReport Report, string Model)> SideAsync(ViewerData data, string text, string which, CancellationToken ct)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var (id, model) = colon < 0 ? (text, null) : (text[..colon], text[(colon + 1)..]);
        var run = await data.RunAsync(id, ct) ?? throw new ReportInputException($"{which}: there is no run '{id}' in the store");
        var (report, _) = await run.ReportAsync(ct);
        if (model is not null) return (report, model);
        throw new ReportInputException($"{which} '{text}': run {id} has {report.Run.Models.Count} models; choose one as {id}:MODEL");
    }

    private static IResult Css()
    {
        using var stream = typeof(Endpoints).Assembly.GetManifestResourceStream("Keel.Viewer.viewer.css")!;
        using var reader = new StreamReader(stream);
        return Results.Text(reader.ReadToEnd(), "text/css; charset=utf-8");
    }

    private static IResult NoRun(string id) =>
        Problem(StatusCodes.Status404NotFound, "No such run", $"there is no run '{id}' in this store");

    private static IResult Problem(int status, string title, string message) =>
        Page<ProblemPage>(new { Title = title, Message = message }, status);

    private static RazorComponentResult<T> Page<T>(object parameters, int status = StatusCodes.Status200OK) where T : Microsoft.AspNetCore.Components.IComponent =>
        new(parameters) { StatusCode = status };
}
