using System.Globalization;
using Keel.Evaluation;
using Spectre.Console;

namespace Keel.Cli;

/// <summary>How <c>keel eval --target-width</c> describes its rule before a run and its cells after it.</summary>
internal static class AdaptiveOutput
{
    /// <summary>One line on the rule, with the samples the widest case (a rate near 50%) needs for the target.</summary>
    public static string Describe(AdaptiveSampling rule)
    {
        var worst = rule.WorstCaseSamples;
        var note = worst > rule.MaxSamples ? "; cells whose rate is near 50% may reach the cap first" : "";
        return $"adaptive: each model × condition gets {rule.FirstRound} samples, then rounds of more until its 95% interval is at most " +
            $"{Percent(rule.TargetWidth)} wide, up to {rule.MaxSamples} samples (a rate near 50% needs about {worst} decided samples){note}";
    }

    /// <summary>After the table: how many cells reached the target, and which stopped at the cap or are unfinished.</summary>
    public static void Write(IAnsiConsole console, AdaptiveReport report)
    {
        var narrow = report.Cells.Count(c => c.Stop == CellStop.Narrow);
        var capped = report.Cells.Where(c => c.Stop == CellStop.AtCap).ToList();
        var unfinished = report.Cells.Where(c => c.Stop == CellStop.Unfinished).ToList();
        console.MarkupLine(Markup.Escape(
            $"adaptive sampling (target width {Percent(report.Rule.TargetWidth)}, at most {report.Rule.MaxSamples} samples per cell): " +
            $"{narrow} of {report.Cells.Count} cell(s) at or under the target width; {capped.Count} at the cap; {unfinished.Count} unfinished"));
        foreach (var c in capped) console.MarkupLine(Markup.Escape($"  at the cap: {c.Model} {c.Condition}: {c.Samples} samples, width {Percent(c.Width)}"));
        foreach (var c in unfinished) console.MarkupLine(Markup.Escape($"  unfinished: {c.Model} {c.Condition}: {c.Samples} samples, width {Percent(c.Width)}"));
    }

    private static string Percent(double value) => (value * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
