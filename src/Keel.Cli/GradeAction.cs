using Keel.Evaluation;
using Keel.Grading;
using Keel.Grading.External;
using Keel.Grading.Judges;
using Keel.Models;
using Keel.Suites;
using Keel.Yaml;

namespace Keel.Cli;

/// <summary>What <c>keel grade FILE</c> does once its arguments are parsed: read, grade, write verdicts, print the summary.</summary>
internal static class GradeAction
{
    public static async Task<int> RunAsync(GradeOptions options, CancellationToken cancellationToken)
    {
        if (Validate(options) is { } problem)
        {
            Consoles.Error(problem);
            return ExitCodes.Usage;
        }

        GradingBasis basis;
        try
        {
            basis = Basis(options);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Consoles.Error($"cannot read {(options.Facts is { } f ? $"the facts file {f}" : $"the suite {options.Suite}")}: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (InputFormatException ex)
        {
            Consoles.Error(ex.Message);
            return ExitCodes.Usage;
        }

        string text;
        try
        {
            text = await File.ReadAllTextAsync(options.File!, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Consoles.Error($"cannot read {options.File}: {ex.Message}");
            return ExitCodes.Usage;
        }

        if (options.Family is { } family && basis.Family is { } scenarioFamily && options.Scenario is not null && family != scenarioFamily)
        {
            Consoles.Error($"--family {family} differs from the family of {basis.Source} ({scenarioFamily}); drop --family, or name a line's own family with \"family\"");
            return ExitCodes.Usage;
        }

        var file = ExternalFileReader.Read(text, new ToolVocabulary(basis.ToolAliases));
        var judge = default((ProviderModel Model, JudgePanel Panel, JudgeSettings Settings)?);
        try
        {
            judge = options.Judge is null ? null : CreateJudge(options, basis.RubricSuite);
        }
        catch (Exception ex) when (ex is InputFormatException or ModelSpecException or ArgumentException or IOException)
        {
            Consoles.Error(ex.Message);
            return ExitCodes.Usage;
        }

        ExternalGrading graded;
        try
        {
            if (judge is { } j) Console.Error.WriteLine($"judge: {j.Settings.Endpoint.Spec} grades every transcript beside the detector ({j.Settings.Samples} draw(s), {j.Settings.Vote.Name()} vote)");
            graded = await ExternalGrader.GradeAsync(file.Items, basis, judge?.Panel, options.Concurrency, null, cancellationToken);
        }
        finally
        {
            judge?.Model.Dispose();
        }

        var problems = file.Problems.Concat(graded.Problems).OrderBy(p => p.Line).ToList();
        foreach (var p in problems) Console.Error.WriteLine($"{options.File}:{p.Line}: {p.Message}");

        if (options.Out is { } outPath)
        {
            try
            {
                await File.WriteAllLinesAsync(outPath, graded.Verdicts.Select(GradeJson.VerdictLine), cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Consoles.Error($"cannot write --out {outPath}: {ex.Message}");
                return ExitCodes.Usage;
            }
        }

        var summary = ExternalGrader.Summarize(graded.Verdicts, judge is not null);
        var report = new GradeReport(options.File!, file.Layout, basis.Source, file.Items.Count + file.Problems.Count, graded.Verdicts, problems, summary,
            judge?.Settings, graded.JudgeUsage);
        if (options.Json) GradeJson.Write(Console.Out, report);
        else GradeTable.Write(Consoles.Out, report);

        Console.Error.WriteLine($"graded {graded.Verdicts.Count} of {report.Items} transcript(s) in {options.File} ({file.Layout}); {problems.Count} skipped; facts: {basis.Source}"
            + (options.Out is { } o ? $"; verdicts written to {o}" : ""));
        if (graded.Verdicts.Count > 0) return ExitCodes.Success;
        Consoles.Error($"nothing in {options.File} could be graded (see the problems above)");
        return ExitCodes.RunFailure;
    }

    /// <summary>The judge's model, panel and settings; the panel takes its rubrics from <paramref name="suite"/> (the core suite's otherwise).</summary>
    internal static (ProviderModel Model, JudgePanel Panel, JudgeSettings Settings) CreateJudge(GradeOptions options, Suite suite)
    {
        var settings = RunSetup.Judge(options.Judge!, options.JudgeSamples, options.JudgeVote, null, options.Models);
        var model = new ModelFactory().CreateJudge(settings.Endpoint, new ModelRunSettings(options.Concurrency));
        return (model, JudgePanel.Create(model, settings, suite), settings);
    }

    /// <summary>Options that do not fit together, or a missing FILE.</summary>
    internal static string? ValidateJudge(GradeOptions options) => options switch
    {
        { Judge: null, ExplicitJudgeOptions.Count: > 0 } => $"{string.Join(", ", options.ExplicitJudgeOptions)} grade with the LLM judge; give --judge SPEC as well",
        { JudgeSamples: < 1 } => "--judge-samples must be at least 1",
        { Concurrency: < 1 } => "--concurrency must be at least 1",
        _ => null,
    };

    private static string? Validate(GradeOptions options) => ValidateJudge(options) ?? options switch
    {
        { File: null } => "give the transcript FILE to grade (or --gold to calibrate the graders on the gold set)",
        { Facts: not null, Scenario: not null } => "--facts and --scenario both give the detector facts; use one of them",
        { Suite: not null, Scenario: null } => "--suite needs --scenario ID: the scenario or condition whose facts and world grade the transcripts",
        { Family: { } f } when FamilyCatalogue.Find(f) is null => $"unknown --family '{f}'; families: {string.Join(", ", FamilyCatalogue.All.Select(x => x.Id))}",
        _ => null,
    };

    private static GradingBasis Basis(GradeOptions options)
    {
        if (options.Scenario is { } scenario) return GradingBasis.FromScenario(SuiteResolver.Resolve(options.Suite ?? "core"), scenario);
        if (options.Facts is { } facts) return GradingBasis.FromFacts(FactsFile.Load(facts, options.Family), options.Family);
        return GradingBasis.None(options.Family);
    }
}
