using System.CommandLine;
using System.Globalization;
using Keel.Statistics;
using Keel.Suites;
using Keel.Yaml;
using Spectre.Console;

namespace Keel.Cli;

/// <summary>
/// <c>keel plan</c>: samples needed before running. Two modes: <c>--p1 --p2</c> (detect a difference between two rates)
/// and <c>--width --p</c> (a Wilson interval no wider than W). The math is in <see cref="SampleSize"/>.
/// </summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var p1 = new Option<double?>("--p1") { Description = "Expected harmful rate of the first group (baseline), strictly between 0 and 1" };
        var p2 = new Option<double?>("--p2") { Description = "Expected harmful rate of the second group (candidate), strictly between 0 and 1" };
        var alpha = new Option<double>("--alpha") { Description = "Significance level (width mode: 1 − confidence)", DefaultValueFactory = _ => 0.05 };
        var power = new Option<double>("--power") { Description = "Power, 1 − β", DefaultValueFactory = _ => 0.8 };
        var twoSided = new Option<bool>("--two-sided") { Description = "Two-sided test (the default)" };
        var oneSided = new Option<bool>("--one-sided") { Description = "One-sided test (α in one tail)" };
        var suite = new Option<string>("--suite") { Description = "Suite whose families get per-family advice (built-in name or file)", DefaultValueFactory = _ => "core" };
        var width = new Option<double?>("--width") { Description = "Width mode: target total width of the Wilson interval, strictly between 0 and 1" };
        var p = new Option<double?>("--p") { Description = "Width mode: expected rate, strictly between 0 and 1" };

        var command = new Command("plan", "Samples per condition needed to detect a difference between two rates, or for a Wilson interval of a given width.")
        {
            p1, p2, alpha, power, twoSided, oneSided, suite, width, p,
        };
        command.SetAction(parse =>
        {
            try
            {
                var compare = parse.GetValue(p1) is not null || parse.GetValue(p2) is not null;
                var interval = parse.GetValue(width) is not null || parse.GetValue(p) is not null;
                if (compare == interval)
                    throw new ArgumentException("give either --p1 and --p2 (compare two rates) or --width and --p (interval width); see 'keel plan --help'");

                var a = Open(parse.GetValue(alpha), "--alpha");
                if (interval)
                {
                    var plan = SampleSize.WilsonWidth(Open(Required(parse.GetValue(width), "--width", "--p"), "--width"),
                        Open(Required(parse.GetValue(p), "--p", "--width"), "--p"), 1 - a);
                    WriteWidth(plan);
                    return ExitCodes.Success;
                }

                if (parse.GetValue(oneSided) && parse.GetValue(twoSided)) throw new ArgumentException("--one-sided and --two-sided exclude each other");
                var first = Open(Required(parse.GetValue(p1), "--p1", "--p2"), "--p1");
                var second = Open(Required(parse.GetValue(p2), "--p2", "--p1"), "--p2");
                if (first == second) throw new ArgumentException($"--p1 and --p2 are both {Format(first)}: no sample size detects a zero difference; give the rates you want to tell apart");
                var proportions = SampleSize.TwoProportions(first, second, a, Open(parse.GetValue(power), "--power"), !parse.GetValue(oneSided));
                var resolved = SuiteResolver.Resolve(parse.GetValue(suite)!);
                WriteComparison(proportions, resolved);
                return ExitCodes.Success;
            }
            catch (Exception ex) when (ex is ArgumentException or InputFormatException or IOException)
            {
                Consoles.Error(ex.Message);
                return ExitCodes.Usage;
            }
        });
        return command;
    }

    private static void WriteComparison(TwoProportionPlan plan, Suite suite)
    {
        var o = Consoles.Out;
        var sides = plan.TwoSided ? "two-sided" : "one-sided";
        o.WriteLine($"Compare p1 {Format(plan.P1)} with p2 {Format(plan.P2)}: {sides} α {Format(plan.Alpha)}, power {Format(plan.Power)}.");
        o.WriteLine($"Samples per group: {plan.PerGroupCorrected} (with continuity correction, Fleiss, Tytun and Ury 1980; exact {Fixed(plan.Corrected)})");
        o.WriteLine($"  without continuity correction: {plan.PerGroup} (Fleiss, Levin and Paik 2003, as R's power.prop.test; exact {Fixed(plan.Uncorrected)})");
        o.WriteLine($"To compare one condition: {plan.PerGroupCorrected} samples of it per group (per model, run or checkpoint compared).");
        o.WriteLine();

        var families = suite.Conditions
            .GroupBy(c => suite.Scenarios.First(s => s.Id == c.ScenarioId).Family)
            .Select(g => (g.Key, g.Count()))
            .ToList();
        var table = new Table()
            .Title($"To compare a family's rate (the mean over its conditions), per family of suite {Markup.Escape(suite.Id)}")
            .Caption($"samples per condition = ⌈{plan.PerGroupCorrected} / conditions⌉, per group; conservative when rates differ between conditions (docs/statistics.md)")
            .AddColumns("Family", "Conditions", "Samples per condition (--samples)", "Samples per group");
        foreach (var i in new[] { 1, 2, 3 }) table.Columns[i].RightAligned();
        foreach (var f in plan.ForFamilies(families))
        {
            table.AddRow(Markup.Escape(f.Family), Count(f.Conditions), Count(f.SamplesPerCondition), Count(f.SamplesPerGroup));
        }

        o.Write(table);
    }

    private static void WriteWidth(WidthPlan plan)
    {
        var o = Consoles.Out;
        o.WriteLine($"Wilson {Format(plan.Confidence * 100)}% interval no wider than {Format(plan.Width)} at rate {Format(plan.Rate)}:");
        o.WriteLine($"Samples needed: {plan.Samples}");
        o.WriteLine($"  interval at that n: {Format(plan.Expected.Low)} to {Format(plan.Expected.High)} (width {Format(plan.Expected.Width)})");
    }

    private static double Required(double? value, string name, string partner) =>
        value ?? throw new ArgumentException($"{name} is missing: {partner} needs it");

    private static double Open(double value, string name) =>
        value > 0 && value < 1 ? value : throw new ArgumentException($"{name} must be strictly between 0 and 1; got {Format(value)}");

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Fixed(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
