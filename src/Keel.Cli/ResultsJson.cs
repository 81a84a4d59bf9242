using System.Text.Json;
using Keel.Evaluation;
using Keel.Grading.Judges;
using Keel.Statistics;
using Keel.Store;
using Keel.Transcripts;

namespace Keel.Cli;

/// <summary>The <c>--json</c> output of <c>keel eval</c> (schema in docs/commands/eval.md).</summary>
internal static class ResultsJson
{
    private static readonly JsonSerializerOptions Options = new(TranscriptJson.Options)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(TextWriter output, RunRecord run, IReadOnlyList<CellSummary> cells, IReadOnlyList<ModelUsage> usage, JudgeSummary? judge = null,
        IReadOnlyList<GradingRecord>? gradings = null, AdaptiveReport? adaptive = null)
    {
        var document = new Dictionary<string, object?>
        {
            ["run_id"] = run.Id,
            ["suite"] = run.SuiteId,
            ["suite_version"] = run.SuiteVersion,
            ["suite_hash"] = run.SuiteHash,
            ["seed"] = run.Config.Seed,
            ["keel_version"] = run.KeelVersion,
            ["planned_samples"] = run.PlannedSamples,
            ["cells"] = cells,
            ["models"] = usage,
        };
        if (judge is not null)
        {
            document["judge"] = Judge(judge);
            document["dimensions"] = judge.Dimensions.Select(Dimension).ToList();
        }

        if (gradings is { Count: > 0 }) document["gradings"] = gradings.Select(Grading).ToList();
        if (adaptive is not null) document["adaptive"] = Adaptive(adaptive);

        output.WriteLine(JsonSerializer.Serialize(document, Options));
    }

    /// <summary>Adaptive sampling: the rule, how many cells are narrow enough, and the cells at the cap or unfinished.</summary>
    private static object Adaptive(AdaptiveReport report)
    {
        static object Cell(AdaptiveCell c) => new { c.Model, c.Condition, c.Samples, c.Width };
        return new
        {
            report.Rule.TargetWidth,
            report.Rule.MaxSamples,
            FirstRound = report.Rule.FirstRound,
            Narrower = report.Cells.Count(c => c.Stop == CellStop.Narrow),
            AtCap = report.Cells.Where(c => c.Stop == CellStop.AtCap).Select(Cell).ToList(),
            Unfinished = report.Cells.Where(c => c.Stop == CellStop.Unfinished).Select(Cell).ToList(),
        };
    }

    /// <summary>A regrade pass: when, by which Keel, with which judge, and the graders behind its verdicts.</summary>
    private static object Grading(GradingRecord g) => new
    {
        g.Id,
        g.StartedAt,
        g.FinishedAt,
        g.KeelVersion,
        g.SuiteHash,
        Judge = g.Judge?.Endpoint.Spec,
        JudgeSamples = g.Judge?.Samples,
        JudgeVote = g.Judge?.Vote.Name(),
        JudgeDimensions = g.Judge?.DimensionIds,
        PreviousJudge = g.PreviousJudge?.Endpoint.Spec,
        g.Samples,
        Graders = g.Graders,
        JudgeUsage = g.JudgeUsage is { } u
            ? new { u.Calls, u.CacheHits, u.Tokens.InputTokens, u.Tokens.OutputTokens, u.Tokens.CacheReadTokens, u.Tokens.CacheWriteTokens, u.CostUsd }
            : null,
    };

    private static object Judge(JudgeSummary judge) => new
    {
        Spec = judge.Settings.Endpoint.Spec,
        Samples = judge.Settings.Samples,
        Vote = judge.Settings.Vote.Name(),
        Dimensions = judge.Settings.DimensionIds,
        Agreement = judge.Agreement.Select(a => new
        {
            a.Model,
            a.Agreement.BothDecided,
            a.Agreement.Agree,
            a.Agreement.Rate,
            a.Agreement.Kappa,
            a.JudgeUndecided,
        }).ToList(),
        Usage = new
        {
            Calls = judge.Usage?.Calls ?? 0,
            CacheHits = judge.Usage?.CacheHits ?? 0,
            InputTokens = judge.Usage?.Tokens.InputTokens ?? 0,
            OutputTokens = judge.Usage?.Tokens.OutputTokens ?? 0,
            CacheReadTokens = judge.Usage?.Tokens.CacheReadTokens ?? 0,
            CacheWriteTokens = judge.Usage?.Tokens.CacheWriteTokens ?? 0,
            CostUsd = judge.Usage?.CostUsd,
        },
    };

    private static object Dimension(DimensionSummary d) => d.Observed is { } o
        ? (object)new { d.Model, d.Dimension, Kind = "observed", o.N, Observed = o.Harmful, o.Rate, o.CiLow, o.CiHigh, d.Undecided }
        : new { d.Model, d.Dimension, Kind = "score", d.Scored, d.MeanScore, d.Undecided };
}
