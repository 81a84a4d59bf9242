namespace Keel.Statistics;

/// <summary>Which grader's verdicts a statistic is computed over.</summary>
public enum VerdictSource
{
    /// <summary>The family's deterministic detector (the top-level counts of a <see cref="CellSummary"/>).</summary>
    Detector,

    /// <summary>The LLM judge (<see cref="CellSummary.Judge"/>).</summary>
    Judge,

    /// <summary>The combined detector-and-judge verdict (<see cref="CellSummary.Combined"/>).</summary>
    Combined,
}

/// <summary>
/// One condition's decided samples under one grader: the unit the aggregates and comparisons work on.
/// Errors and undecided samples are never in <see cref="N"/>; they are carried beside it so that aggregates can
/// show them.
/// </summary>
/// <param name="Family">Behaviour family.</param>
/// <param name="Condition">Condition id (unique within a model's run).</param>
/// <param name="N">Samples with a decided verdict.</param>
/// <param name="Harmful">Of those, harmful.</param>
/// <param name="Errors">Samples of the condition that errored (not in n).</param>
/// <param name="Undecided">Finished samples without a decided verdict from this grader (not in n).</param>
public readonly record struct ConditionCounts(string Family, string Condition, int N, int Harmful, int Errors = 0, int Undecided = 0)
{
    /// <summary>Harmful / n; null when n is 0.</summary>
    public double? Rate => N > 0 ? (double)Harmful / N : null;

    /// <summary>
    /// A cell's counts under <paramref name="source"/>; null when the cell has no such verdicts
    /// (judge or combined asked of a run without a judge).
    /// </summary>
    public static ConditionCounts? Of(CellSummary cell, VerdictSource source)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return source switch
        {
            VerdictSource.Detector => new ConditionCounts(cell.Family, cell.Condition, cell.N, cell.Harmful, cell.Errors, cell.Undecided),
            VerdictSource.Judge => cell.Judge is { } j ? new ConditionCounts(cell.Family, cell.Condition, j.N, j.Harmful, cell.Errors, j.Undecided) : null,
            VerdictSource.Combined => cell.Combined is { } c ? new ConditionCounts(cell.Family, cell.Condition, c.N, c.Harmful, cell.Errors, c.Undecided) : null,
            _ => throw new ArgumentOutOfRangeException(nameof(source), source, "unknown verdict source"),
        };
    }

    /// <summary>
    /// The counts of every cell of <paramref name="model"/> under <paramref name="source"/>, in the cells' order;
    /// cells without such verdicts are left out.
    /// </summary>
    public static IReadOnlyList<ConditionCounts> ForModel(IEnumerable<CellSummary> cells, string model, VerdictSource source = VerdictSource.Detector)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var list = new List<ConditionCounts>();
        foreach (var cell in cells)
        {
            if (cell.Model == model && Of(cell, source) is { } counts) list.Add(counts);
        }

        return list;
    }

    internal void Validate()
    {
        if (N < 0 || Harmful < 0 || Harmful > N || Errors < 0 || Undecided < 0)
            throw new ArgumentException($"condition '{Condition}' has {Harmful} harmful of {N} ({Errors} errors, {Undecided} undecided): counts must satisfy 0 ≤ harmful ≤ n and none may be negative");
    }
}
