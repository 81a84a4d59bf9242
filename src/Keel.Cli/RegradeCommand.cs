using System.CommandLine;
using Keel.Evaluation;
using Keel.Grading.Judges;

namespace Keel.Cli;

/// <summary><c>keel regrade RUN</c>: grade a stored run again from its stored transcripts, without calling its models.</summary>
internal static class RegradeCommand
{
    public static Command Create()
    {
        var runId = new Argument<string>("RUN_ID") { Description = "The stored run to grade again" };
        var db = new Option<string>("--db") { Description = "SQLite store the run is in", DefaultValueFactory = _ => "keel.db" };
        var judge = new Option<string?>("--judge") { Description = "Grade with this LLM judge instead of the run's own (or add one to a run without); its endpoint comes from the models file" };
        var noJudge = new Option<bool>("--no-judge") { Description = "Drop the run's judge: grade with the detectors only" };
        var judgeSamples = new Option<int>("--judge-samples") { Description = "With --judge: independent judge draws per rubric and sample (k)", DefaultValueFactory = _ => 1 };
        var judgeVote = new Option<string>("--judge-vote") { Description = "With --judge: how k draws are folded: majority or min", DefaultValueFactory = _ => "majority" };
        judgeVote.AcceptOnlyFromAmong("majority", "min");
        var dimensions = new Option<string[]>("--dimensions") { Description = $"With --judge: extra judge dimensions, comma-separated or repeated: {string.Join(", ", DimensionCatalogue.Ids)}" };
        var models = new Option<string?>("--models") { Description = $"Models file naming the judge's endpoint, key variable and prices (default: ./{Keel.Models.ModelsFile.DefaultName} if present)" };
        var allowChangedSuite = new Option<bool>("--allow-changed-suite") { Description = "Grade against the current suite even though its content changed since the run" };
        var concurrency = new Option<int>("--concurrency") { Description = "Samples graded at once", DefaultValueFactory = _ => 8 };
        var requestTimeout = new Option<double>("--request-timeout") { Description = "Seconds before one judge request is abandoned and retried", DefaultValueFactory = _ => 120 };
        var noCache = new Option<bool>("--no-cache") { Description = "Do not read or write the response cache (the judge is called again)" };
        var json = new Option<bool>("--json") { Description = "Print results as JSON on stdout" };

        var command = new Command("regrade", "Grade a stored run again with the current detectors (and a judge) from its stored transcripts; no model under evaluation is called.")
        {
            runId, db, judge, noJudge, judgeSamples, judgeVote, dimensions, models, allowChangedSuite, concurrency, requestTimeout, noCache, json,
        };

        Option[] judgeOnly = [judgeSamples, judgeVote, dimensions];
        command.SetAction((parse, ct) =>
        {
            var request = new RegradeRequest(
                parse.GetValue(runId)!,
                parse.GetValue(judge),
                parse.GetValue(noJudge),
                parse.GetValue(judgeSamples),
                parse.GetValue(judgeVote) == "min" ? JudgeVote.Min : JudgeVote.Majority,
                parse.GetValue(dimensions) ?? [],
                parse.GetValue(models),
                parse.GetValue(allowChangedSuite));
            var options = new RegradeOptions(
                request,
                parse.GetValue(db)!,
                parse.GetValue(concurrency),
                TimeSpan.FromSeconds(parse.GetValue(requestTimeout)),
                parse.GetValue(noCache),
                parse.GetValue(json),
                judgeOnly.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList());
            return RegradeAction.RunAsync(options, ct);
        });
        return command;
    }
}

/// <summary>The parsed arguments of <c>keel regrade</c>.</summary>
internal sealed record RegradeOptions(
    RegradeRequest Request,
    string Db,
    int Concurrency,
    TimeSpan RequestTimeout,
    bool NoCache,
    bool Json,
    IReadOnlyList<string> ExplicitJudgeOptions);
