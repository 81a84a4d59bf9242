using System.CommandLine;
using Keel.Statistics;

namespace Keel.Cli;

/// <summary><c>keel report</c>: a stored run (or several, or a comparison of two) as a table, Markdown, JSON, CSV or a self-contained HTML file.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var db = new Option<string>("--db") { Description = "SQLite store", DefaultValueFactory = _ => "keel.db" };
        var run = new Option<string[]>("--run") { Description = "Run id, repeatable (default: the newest run in the store)" };
        var compare = new Option<string[]>("--compare")
        {
            Description = "Compare BASELINE CANDIDATE, each RUN or RUN:MODEL (the model may be left out when the run has one)",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        var format = new Option<string>("--format") { Description = "table, md, json, csv or html", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "md", "json", "csv", "html");
        var source = new Option<string>("--source") { Description = "Whose verdicts a comparison uses: detector, judge or combined", DefaultValueFactory = _ => "detector" };
        source.AcceptOnlyFromAmong("detector", "judge", "combined");
        var resamples = new Option<int>("--bootstrap") { Description = "Bootstrap resamples for the intervals of means", DefaultValueFactory = _ => BootstrapOptions.DefaultResamples };
        var seed = new Option<long>("--bootstrap-seed") { Description = "Seed of the bootstrap (same seed, same intervals)", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Write to this file instead of stdout (html defaults to keel-report-RUN.html)" };

        var command = new Command("report", "Print a stored run's rates with intervals, or compare two runs, models or checkpoints.")
        {
            db, run, compare, format, source, resamples, seed, output,
        };
        command.SetAction((parse, ct) => ReportAction.RunAsync(new ReportOptions(
            parse.GetValue(db)!,
            parse.GetValue(run) ?? [],
            parse.GetValue(compare) is { Length: 2 } c ? (c[0], c[1]) : null,
            parse.GetValue(format)!,
            Enum.Parse<VerdictSource>(parse.GetValue(source)!, ignoreCase: true),
            parse.GetValue(resamples),
            parse.GetValue(seed),
            parse.GetValue(output)), ct));
        return command;
    }
}

/// <summary>The parsed arguments of <c>keel report</c>.</summary>
internal sealed record ReportOptions(
    string Db,
    IReadOnlyList<string> Runs,
    (string Baseline, string Candidate)? Compare,
    string Format,
    VerdictSource Source,
    int Resamples,
    long Seed,
    string? Out);
