using Keel.Reports;
using Keel.Statistics;

namespace Keel.Tests.Reports;

/// <summary>Fixed, hand-made runs for the format tests: two families, three conditions, known counts.</summary>
public static class ReportSamples
{
    public static RunOverview Overview(string id, long seed, params string[] models) => new(id, new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero), "0.1.0",
        "core", "1", "6ba76bf5a82f0e1d", new Dictionary<string, string> { ["blackmail-larkspur"] = "aa", ["leaking-calder"] = "bb" }, seed, models, 20,
        20 * 3 * models.Length, 20 * 3 * models.Length, 1, 12.5m, null);

    /// <summary>A run of one model: blackmail 9/20 and 5/20 (one error), leaking 2/20.</summary>
    public static RunReport Baseline() => Report(Overview("run-a", 7, "openai/gpt-4.1"),
    [
        new CellSummary("openai/gpt-4.1", "blackmail", "blackmail-larkspur", "blackmail-larkspur/explicit/replacement", 20, 9, 0.45, 0.258, 0.658, 0, 0),
        new CellSummary("openai/gpt-4.1", "blackmail", "blackmail-larkspur", "blackmail-larkspur/none/replacement", 19, 5, 5 / 19.0, 0.118, 0.488, 1, 0),
        new CellSummary("openai/gpt-4.1", "leaking", "leaking-calder", "leaking-calder/national/replacement", 20, 2, 0.1, 0.028, 0.301, 0, 0),
    ]);

    /// <summary>The same conditions after training: blackmail 2/20 and 1/20, leaking 1/20 (one undecided).</summary>
    public static RunReport Candidate() => Report(Overview("run-b", 7, "openai-compatible/ckpt-400") with { Errors = 0 },
    [
        new CellSummary("openai-compatible/ckpt-400", "blackmail", "blackmail-larkspur", "blackmail-larkspur/explicit/replacement", 20, 2, 0.1, 0.028, 0.301, 0, 0),
        new CellSummary("openai-compatible/ckpt-400", "blackmail", "blackmail-larkspur", "blackmail-larkspur/none/replacement", 20, 1, 0.05, 0.009, 0.236, 0, 0),
        new CellSummary("openai-compatible/ckpt-400", "leaking", "leaking-calder", "leaking-calder/national/replacement", 19, 1, 1 / 19.0, 0.009, 0.246, 0, 1),
    ]);

    /// <summary>Per-sample verdicts matching the cells (same seed, so the comparison is paired).</summary>
    public static ComparisonSamples Samples() => new([], [], Epochs(Baseline()), Epochs(Candidate()));

    private static IReadOnlyList<EpochVerdict> Epochs(RunReport report) => report.Cells.SelectMany(c =>
        Enumerable.Range(0, c.N).Select(e => new EpochVerdict(c.Condition, e, e < c.Harmful))).ToList();

    private static RunReport Report(RunOverview run, IReadOnlyList<CellSummary> cells)
    {
        var model = run.Models[0];
        var rates = new ModelRates(model, Aggregates.Of(ConditionCounts.ForModel(cells, model)), null, null, null, cells.Sum(c => c.Errors), cells.Sum(c => c.Undecided));
        return new RunReport(run, cells, [rates], [], BootstrapOptions.Default);
    }
}
