using Keel.Reports;
using Keel.Reports.Formats;
using Keel.Statistics;
using Keel.Store;

namespace Keel.Cli;

/// <summary>Runs <c>keel report</c>: loads the runs, builds the report or comparison, writes it in the asked format.</summary>
internal static class ReportAction
{
    public static async Task<int> RunAsync(ReportOptions options, CancellationToken cancellationToken)
    {
        if (options.Compare is not null && options.Runs.Count > 0)
        {
            Consoles.Error("--compare names its two runs itself; leave out --run");
            return ExitCodes.Usage;
        }

        if (!File.Exists(options.Db))
        {
            Consoles.Error($"there is no store at {Path.GetFullPath(options.Db)}; run 'keel eval' first, or point --db at the store it wrote");
            return ExitCodes.Usage;
        }

        BootstrapOptions bootstrap;
        try
        {
            bootstrap = new BootstrapOptions(options.Resamples, options.Seed);
            bootstrap.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            Consoles.Error($"--bootstrap {options.Resamples}: {ex.Message.Split(" (Parameter", 2)[0]}");
            return ExitCodes.Usage;
        }

        await using var store = await KeelStore.OpenAsync(options.Db, cancellationToken);
        try
        {
            var (text, name) = options.Compare is { } pair
                ? await CompareAsync(store, pair, options, bootstrap, cancellationToken)
                : await RunsAsync(store, options, bootstrap, cancellationToken);
            if (text is null) return ExitCodes.Success;
            var path = options.Out ?? (options.Format == "html" ? $"keel-report-{name}.html" : null);
            if (path is null)
            {
                Console.Out.Write(text);
                return ExitCodes.Success;
            }

            var full = Path.GetFullPath(path);
            var temp = full + ".tmp";
            await File.WriteAllTextAsync(temp, text, cancellationToken);
            File.Move(temp, full, overwrite: true);
            Console.Error.WriteLine($"wrote {full}");
            return ExitCodes.Success;
        }
        catch (ReportInputException ex)
        {
            Consoles.Error(ex.Message);
            return ExitCodes.Usage;
        }
    }

    private static async Task<(string? Text, string Name)> RunsAsync(KeelStore store, ReportOptions options, BootstrapOptions bootstrap, CancellationToken ct)
    {
        var ids = options.Runs.Count > 0 ? options.Runs : (await store.RunIdsAsync(ct)).Take(1).ToList();
        if (ids.Count == 0) throw new ReportInputException($"the store {store.Path} has no run yet; run 'keel eval' first");
        var runs = new List<RunReport>();
        foreach (var id in ids) runs.Add(await RunReportBuilder.LoadAsync(store, id, bootstrap, ct));
        var name = string.Join('-', ids);
        switch (options.Format)
        {
            case "json": return (JsonReport.Write(runs), name);
            case "csv": return (CsvReport.Write(ReportRows.Of(runs)), name);
            case "md": return (MarkdownReport.Write(ReportLayout.Of(runs)), name);
            case "html": return (HtmlReport.Write(ReportLayout.Of(runs), ReportCharts.Of(runs)), name);
            default:
                ReportConsole.Write(options.Out is null ? Consoles.Out : null, ReportLayout.Of(runs), options.Out);
                return (null, name);
        }
    }

    private static async Task<(string? Text, string Name)> CompareAsync(KeelStore store, (string Baseline, string Candidate) pair, ReportOptions options,
        BootstrapOptions bootstrap, CancellationToken ct)
    {
        var (baseline, baselineModel) = await SideAsync(store, pair.Baseline, "baseline", bootstrap, ct);
        var (candidate, candidateModel) = await SideAsync(store, pair.Candidate, "candidate", bootstrap, ct);
        var comparison = await ComparisonBuilder.BuildAsync(store, baseline, baselineModel, candidate, candidateModel, options.Source, ct);
        var name = baseline.Run.Id == candidate.Run.Id ? baseline.Run.Id : $"{baseline.Run.Id}-vs-{candidate.Run.Id}";
        switch (options.Format)
        {
            case "json": return (JsonReport.Write(comparison, bootstrap), name);
            case "csv": return (CsvReport.Write(ReportRows.Of(comparison)), name);
            case "md": return (MarkdownReport.Write(ReportLayout.Of(comparison)), name);
            case "html": return (HtmlReport.Write(ReportLayout.Of(comparison), ReportCharts.Of(comparison)), name);
            default:
                ReportConsole.Write(options.Out is null ? Consoles.Out : null, ReportLayout.Of(comparison), options.Out);
                return (null, name);
        }
    }

    /// <summary>Reads "RUN" or "RUN:MODEL" (split at the first colon: model specs may hold colons, run ids do not).</summary>
    private static async Task<(RunReport Report, string Model)> SideAsync(KeelStore store, string text, string which, BootstrapOptions bootstrap, CancellationToken ct)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var (id, model) = colon < 0 ? (text, null) : (text[..colon], text[(colon + 1)..]);
        var report = await RunReportBuilder.LoadAsync(store, id, bootstrap, ct);
        if (model is not null) return (report, model);
        return report.Run.Models.Count == 1
            ? (report, report.Run.Models[0])
            : throw new ReportInputException($"--compare {which} '{text}': run {id} has {report.Run.Models.Count} models; name one as {id}:MODEL " +
                $"(one of {string.Join(", ", report.Run.Models)})");
    }
}
