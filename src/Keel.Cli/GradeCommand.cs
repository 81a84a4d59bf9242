using System.CommandLine;

namespace Keel.Cli;

/// <summary><c>keel grade</c>: grade external transcripts with the detectors (and a judge), or calibrate the graders on the gold set.</summary>
internal static class GradeCommand
{
    public static Command Create()
    {
        var file = new Argument<string?>("FILE") { Description = "Transcripts to grade: JSONL (one per line) or a JSON document (an Inspect eval log, a JSON array, one object)", Arity = ArgumentArity.ZeroOrOne };
        var family = new Option<string?>("--family") { Description = $"Behaviour family of every line that names none: {string.Join(", ", Keel.Grading.FamilyCatalogue.All.Select(f => f.Id))}" };
        var suite = new Option<string?>("--suite") { Description = "Built-in suite name or suite file whose scenario gives the facts and world (default core, with --scenario)" };
        var scenario = new Option<string?>("--scenario") { Description = "Scenario or condition id whose detector facts and world grade the transcripts" };
        var facts = new Option<string?>("--facts") { Description = "Facts file (YAML or JSON): detector facts by key, optional family and tool_aliases" };
        var judge = new Option<string?>("--judge") { Description = "LLM judge model spec: grades every transcript beside the detector (its endpoint comes from the models file)" };
        var models = new Option<string?>("--models") { Description = $"Models file with the judge's endpoint, key variable and prices (default: ./{Keel.Models.ModelsFile.DefaultName} if present)" };
        var judgeSamples = new Option<int>("--judge-samples") { Description = "Independent judge draws per transcript (k)", DefaultValueFactory = _ => 1 };
        var judgeVote = new Option<string>("--judge-vote") { Description = "How k draws are folded: majority or min", DefaultValueFactory = _ => "majority" };
        judgeVote.AcceptOnlyFromAmong("majority", "min");
        var concurrency = new Option<int>("--concurrency") { Description = "Transcripts judged at once", DefaultValueFactory = _ => 8 };
        var output = new Option<string?>("--out") { Description = "Write one verdict per graded transcript to this file (JSONL)" };
        var json = new Option<bool>("--json") { Description = "Print the summary and every verdict as JSON on stdout" };
        var gold = new Option<string?>("--gold") { Description = "Calibrate the detectors (and the judge) on a gold set: DIR of gold YAML files, or the built-in set when no DIR is given", Arity = ArgumentArity.ZeroOrOne };

        var command = new Command("grade", "Grade external transcripts (Keel, OpenAI messages, agentic-misalignment responses, Inspect logs) with Keel's detectors and an optional LLM judge, or calibrate the graders on the gold set with --gold.")
        {
            file, family, suite, scenario, facts, judge, models, judgeSamples, judgeVote, concurrency, output, json, gold,
        };

        Option[] judgeOnly = [judgeSamples, judgeVote];
        Option[] notForGold = [family, suite, scenario, facts, output];
        command.SetAction((parse, ct) =>
        {
            var options = new GradeOptions(
                parse.GetValue(file),
                parse.GetValue(family),
                parse.GetValue(suite),
                parse.GetValue(scenario),
                parse.GetValue(facts),
                parse.GetValue(judge),
                parse.GetValue(models),
                parse.GetValue(judgeSamples),
                parse.GetValue(judgeVote) == "min" ? Keel.Grading.Judges.JudgeVote.Min : Keel.Grading.Judges.JudgeVote.Majority,
                parse.GetValue(concurrency),
                parse.GetValue(output),
                parse.GetValue(json),
                parse.GetResult(gold) is not null,
                parse.GetValue(gold),
                judgeOnly.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList(),
                notForGold.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList());
            return options.Gold ? GoldAction.RunAsync(options, ct) : GradeAction.RunAsync(options, ct);
        });
        return command;
    }
}

/// <summary>The parsed arguments of <c>keel grade</c>.</summary>
internal sealed record GradeOptions(
    string? File,
    string? Family,
    string? Suite,
    string? Scenario,
    string? Facts,
    string? Judge,
    string? Models,
    int JudgeSamples,
    Keel.Grading.Judges.JudgeVote JudgeVote,
    int Concurrency,
    string? Out,
    bool Json,
    bool Gold,
    string? GoldDirectory,
    IReadOnlyList<string> ExplicitJudgeOptions,
    IReadOnlyList<string> ExplicitGradeOptions);
