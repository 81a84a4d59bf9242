using Keel.Grading.Calibration;
using Keel.Grading.Judges;
using Keel.Models;
using Keel.Suites;
using Keel.Yaml;

namespace Keel.Cli;

/// <summary>What <c>keel grade --gold [DIR]</c> does: load the gold set, calibrate the detectors (and the judge), print the figures.</summary>
internal static class GoldAction
{
    public static async Task<int> RunAsync(GradeOptions options, CancellationToken cancellationToken)
    {
        if ((GradeAction.ValidateJudge(options) ?? Validate(options)) is { } problem)
        {
            Consoles.Error(problem);
            return ExitCodes.Usage;
        }

        IReadOnlyList<GoldCase> cases;
        try
        {
            cases = Load(options.GoldDirectory);
        }
        catch (Exception ex) when (ex is InputFormatException or IOException or UnauthorizedAccessException)
        {
            Consoles.Error(ex.Message);
            return ExitCodes.Usage;
        }

        (ProviderModel Model, JudgePanel Panel, JudgeSettings Settings)? judge;
        try
        {
            judge = options.Judge is null ? null : GradeAction.CreateJudge(options, SuiteResolver.Resolve("core"));
        }
        catch (Exception ex) when (ex is InputFormatException or ModelSpecException or ArgumentException or IOException)
        {
            Consoles.Error(ex.Message);
            return ExitCodes.Usage;
        }

        var source = options.GoldDirectory ?? "the built-in gold set";
        CalibrationReport report;
        var graders = judge is { } j ? new PanelGraders(j.Panel) : null;
        try
        {
            Console.Error.WriteLine($"calibrating on {cases.Count} gold case(s) from {source}" + (judge is { } s ? $", judge {s.Settings.Endpoint.Spec} ({s.Settings.Samples} draw(s), {s.Settings.Vote.Name()} vote)" : ""));
            report = await Calibration.RunAsync(cases, graders is null ? null : graders.For, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            // A case whose turns do not fit its condition's run: the message names file:line:column.
            Consoles.Error(ex.Message);
            return ExitCodes.Usage;
        }
        finally
        {
            judge?.Model.Dispose();
        }

        if (options.Json) GoldOutput.WriteJson(Console.Out, report, source, judge?.Settings, graders?.Usage);
        else GoldOutput.WriteTable(Consoles.Out, report, source, judge?.Settings, graders?.Usage);
        return ExitCodes.Success;
    }

    private static string? Validate(GradeOptions options) => options switch
    {
        { File: { } file } => $"--gold calibrates on gold files, not on '{file}'; give the gold folder as --gold DIR",
        { ExplicitGradeOptions.Count: > 0 } => $"{string.Join(", ", options.ExplicitGradeOptions)} are for grading a transcript file, not for --gold",
        _ => null,
    };

    /// <summary>The gold cases of <paramref name="directory"/>, or the built-in set; a folder without gold files is an error.</summary>
    private static IReadOnlyList<GoldCase> Load(string? directory)
    {
        if (directory is null) return GoldSet.BuiltIn();
        if (!Directory.Exists(directory)) throw new IOException($"--gold {directory}: no such folder; give a folder of gold YAML files (one per family, like gold/ in the repository)");
        if (Directory.GetFiles(directory, "*.yaml").Length == 0) throw new IOException($"--gold {directory}: the folder has no *.yaml gold files");
        return GoldSet.LoadDirectory(directory);
    }
}
