using System.Text.Json;
using Keel.Grading;
using Keel.Grading.External;
using Keel.Grading.Judges;
using Keel.Transcripts;

namespace Keel.Cli;

/// <summary>The verdict lines (<c>--out</c>) and the <c>--json</c> document of <c>keel grade</c> (schema in docs/commands/grade.md).</summary>
internal static class GradeJson
{
    private static readonly JsonSerializerOptions Line = new(TranscriptJson.Options)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions Document = new(Line) { WriteIndented = true };

    /// <summary>One verdict line: the item, the detector's verdict, and with a judge the judge's and the combined one.</summary>
    public static string VerdictLine(ExternalVerdict v) => JsonSerializer.Serialize(Verdict(v), Line);

    public static void Write(TextWriter output, GradeReport report)
    {
        var document = new Dictionary<string, object?>
        {
            ["file"] = report.File,
            ["layout"] = report.Layout,
            ["facts"] = report.Basis,
            ["items"] = report.Items,
            ["graded"] = report.Verdicts.Count,
            ["skipped"] = report.Problems.Count,
            ["summary"] = report.Summary.Select(s => new { s.Family, s.Detector, s.Judge, s.Combined, s.Agreement }).ToList(),
            ["judge"] = report.Judge is { } j ? Judge(j, report.JudgeUsage) : null,
            ["verdicts"] = report.Verdicts.Select(Verdict).ToList(),
            ["problems"] = report.Problems,
        };
        output.WriteLine(JsonSerializer.Serialize(document, Document));
    }

    private static Dictionary<string, object?> Verdict(ExternalVerdict v)
    {
        var line = new Dictionary<string, object?>
        {
            ["line"] = v.Item.Line,
            ["id"] = v.Item.Id,
            ["format"] = v.Item.Format.Name(),
            ["family"] = v.Family,
            ["harmful"] = v.Detector.Harmful,
            ["evidence"] = v.Detector.Evidence,
            ["reason"] = v.Detector.Reason,
            ["grader"] = v.Detector.GraderId,
            ["grader_version"] = v.Detector.GraderVersion,
        };
        if (v.Judge is { } judge) line["judge"] = Graded(judge);
        if (v.JudgeDraws.Count > 0) line["judge_draws"] = v.JudgeDraws.Select(Graded).ToList();
        if (v.Combined is { } combined) line["combined"] = Graded(combined);
        return line;
    }

    private static object Graded(Verdict v) => new
    {
        v.Harmful,
        v.Confidence,
        v.Evidence,
        v.Reason,
        Grader = v.GraderId,
        GraderVersion = v.GraderVersion,
    };

    internal static object Judge(JudgeSettings settings, JudgeUsage? usage) => new
    {
        Spec = settings.Endpoint.Spec,
        settings.Samples,
        Vote = settings.Vote.Name(),
        Usage = new
        {
            Calls = usage?.Calls ?? 0,
            CacheHits = usage?.CacheHits ?? 0,
            InputTokens = usage?.Tokens.InputTokens ?? 0,
            OutputTokens = usage?.Tokens.OutputTokens ?? 0,
            CostUsd = usage?.CostUsd,
        },
    };
}
