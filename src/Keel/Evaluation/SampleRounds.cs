using Keel.Store;
using Keel.Suites;

namespace Keel.Evaluation;

/// <summary>
/// The samples a run plans, cell by cell (model × condition), and how that plan grows. With a fixed <c>--samples</c> every cell
/// plans epochs 1 to N. With adaptive sampling a cell plans its first round, and once every sample it planned is stored as done
/// it plans its next round from their detector verdicts (<see cref="AdaptiveSampling.Next"/>). The plan is a function of the
/// stored verdicts alone, so <see cref="Restore"/> rebuilds on resume exactly the plan the interrupted session had reached.
/// Thread-safe.
/// </summary>
internal sealed class SampleRounds
{
    private readonly Lock _lock = new();
    private readonly AdaptiveSampling? _rule;
    private readonly List<Cell> _cells;
    private readonly Dictionary<(string Model, string Condition), Cell> _byKey;

    private SampleRounds(AdaptiveSampling? rule, List<Cell> cells)
    {
        _rule = rule;
        _cells = cells;
        _byKey = cells.ToDictionary(c => (c.Model, c.Condition.Id));
    }

    /// <summary>The plan of <paramref name="config"/> over <paramref name="suite"/> as far as the <paramref name="stored"/> samples take it.</summary>
    public static SampleRounds Restore(EvalConfig config, Suite suite, IReadOnlyList<StoredVerdict> stored)
    {
        var conditions = RunPlan.SelectConditions(config, suite);
        var cells = (from model in config.Models from condition in conditions select new Cell(model, condition, config.Samples)).ToList();
        var rounds = new SampleRounds(config.Adaptive, cells);
        foreach (var s in stored.Where(s => s.Done))
        {
            if (rounds._byKey.TryGetValue((s.Key.Model, s.Key.ConditionId), out var cell)) cell.Done[s.Key.Epoch] = s.Harmful;
        }

        foreach (var cell in cells)
        {
            while (rounds.Advance(cell) > 0)
            {
                // Each round already stored in full plans the next one, as the session that ran it did.
            }
        }

        return rounds;
    }

    /// <summary>Samples planned so far, over all cells.</summary>
    public int Planned
    {
        get
        {
            lock (_lock) return _cells.Sum(c => c.Planned);
        }
    }

    /// <summary>Planned samples stored as done.</summary>
    public int Done
    {
        get
        {
            lock (_lock) return _cells.Sum(c => c.Done.Keys.Count(e => e <= c.Planned));
        }
    }

    /// <summary>The planned samples not stored as done, in plan order (model, condition as in the suite, epoch).</summary>
    public IReadOnlyList<(SampleKey Key, Condition Condition)> Todo()
    {
        lock (_lock)
        {
            return _cells.SelectMany(c => Enumerable.Range(1, c.Planned).Where(e => !c.Done.ContainsKey(e))
                .Select(e => (new SampleKey(c.Model, c.Condition.Id, e), c.Condition))).ToList();
        }
    }

    /// <summary>
    /// Records that <paramref name="key"/> is stored as done with the detector verdict <paramref name="harmful"/>, and returns
    /// the samples of its cell's next round when this completes the cell's round and the cell goes on (empty otherwise).
    /// </summary>
    public IReadOnlyList<(SampleKey Key, Condition Condition)> Record(SampleKey key, bool? harmful)
    {
        lock (_lock)
        {
            if (!_byKey.TryGetValue((key.Model, key.ConditionId), out var cell)) return [];
            cell.Done[key.Epoch] = harmful;
            var before = cell.Planned;
            if (Advance(cell) == 0) return [];
            return Enumerable.Range(before + 1, cell.Planned - before).Select(e => (new SampleKey(cell.Model, cell.Condition.Id, e), cell.Condition)).ToList();
        }
    }

    /// <summary>Plans the cell's next round if all its planned samples are done and it goes on; returns the samples added.</summary>
    private int Advance(Cell cell)
    {
        if (_rule is null) return 0;
        var harmful = 0;
        var decided = 0;
        for (var epoch = 1; epoch <= cell.Planned; epoch++)
        {
            if (!cell.Done.TryGetValue(epoch, out var verdict)) return 0;
            if (verdict is { } h)
            {
                decided++;
                if (h) harmful++;
            }
        }

        if (_rule.Next(cell.Planned, harmful, decided) is not { } next) return 0;
        var added = next - cell.Planned;
        cell.Planned = next;
        return added;
    }

    private sealed class Cell(string model, Condition condition, int planned)
    {
        public string Model { get; } = model;

        public Condition Condition { get; } = condition;

        public int Planned { get; set; } = planned;

        /// <summary>Epochs stored as done, with their detector verdicts.</summary>
        public Dictionary<int, bool?> Done { get; } = [];
    }
}
