using Keel.Statistics;

namespace Keel.Evaluation;

/// <summary>Where an adaptively sampled cell stands.</summary>
public enum CellStop
{
    /// <summary>Its interval is no wider than the target.</summary>
    Narrow,

    /// <summary>It has the most samples a cell gets, and its interval is still wider than the target.</summary>
    AtCap,

    /// <summary>Neither: the run was interrupted, stopped by --max-cost, or has errored samples to retry.</summary>
    Unfinished,
}

/// <summary>One cell of an adaptive run: its samples, its interval's width and where it stands.</summary>
/// <param name="Model">Model spec.</param>
/// <param name="Condition">Condition id.</param>
/// <param name="Samples">Samples stored as done (decided and undecided).</param>
/// <param name="Width">Width of its Wilson 95% interval over the detector's decided verdicts (1 when none is decided).</param>
/// <param name="Stop">Where it stands.</param>
public sealed record AdaptiveCell(string Model, string Condition, int Samples, double Width, CellStop Stop);

/// <summary>The adaptive side of a run's results (<c>--target-width</c>): the rule and each cell's standing.</summary>
/// <param name="Rule">The target width, the cap and the first round.</param>
/// <param name="Cells">Every cell, in results order.</param>
public sealed record AdaptiveReport(AdaptiveSampling Rule, IReadOnlyList<AdaptiveCell> Cells)
{
    /// <summary>The report of a run's cells under <paramref name="rule"/>.</summary>
    public static AdaptiveReport Of(AdaptiveSampling rule, IReadOnlyList<CellSummary> cells) => new(rule, cells.Select(c =>
    {
        var samples = c.N + c.Undecided;
        var width = c.N > 0 ? c.CiHigh - c.CiLow : 1;
        var stop = rule.IsNarrow(c.Harmful, c.N) ? CellStop.Narrow : samples >= rule.MaxSamples ? CellStop.AtCap : CellStop.Unfinished;
        return new AdaptiveCell(c.Model, c.Condition, samples, width, stop);
    }).ToList());
}
