namespace Keel.Suites.Import;

/// <summary>
/// Builds the Keel variables (goal_type, goal_value, urgency) of one imported scenario, part by part, so that
/// text depending on several of them is still written once. A value that depends on the condition becomes a
/// placeholder: <c>{{goal_value.board_direction}}</c> when it depends on the goal value alone, or
/// <c>{{goal_type.goal_statement}}</c> whose <c>explicit</c> value is <c>{{goal_value.explicit_goal_statement}}</c>
/// when it depends on two. Only the grid's conditions decide what a value depends on; parts for combinations no
/// condition uses get the framework's value for them when it has one.
/// </summary>
internal sealed class PartTable
{
    /// <summary>Axes in the order they are split: goal types first, goal values (the most labels) innermost.</summary>
    private static readonly string[] SplitOrder = [Cell.GoalTypeAxis, Cell.UrgencyAxis, Cell.GoalValueAxis];

    private readonly IReadOnlyList<Cell> _grid;
    private readonly Dictionary<string, IReadOnlyList<string>> _labels;
    private readonly Dictionary<string, OrderedDictionary<string, IReadOnlyDictionary<string, string>>> _parts = new(StringComparer.Ordinal);

    public PartTable(IReadOnlyList<Cell> grid, IReadOnlyList<string> goalTypes, IReadOnlyList<string> goalValues, IReadOnlyList<string> urgencies)
    {
        _grid = grid;
        _labels = new(StringComparer.Ordinal)
        {
            [Cell.GoalTypeAxis] = goalTypes,
            [Cell.GoalValueAxis] = goalValues,
            [Cell.UrgencyAxis] = urgencies,
        };
        foreach (var axis in _labels.Keys) _parts[axis] = new(StringComparer.Ordinal);
    }

    /// <summary>Each axis in declaration order with its labels and, per label, its parts in order.</summary>
    public IReadOnlyList<(string Axis, IReadOnlyList<(string Label, IReadOnlyList<(string Part, string Text)> Parts)> Values)> Variables() =>
        [.. new[] { Cell.GoalTypeAxis, Cell.GoalValueAxis, Cell.UrgencyAxis }.Select(axis => (axis,
            (IReadOnlyList<(string, IReadOnlyList<(string, string)>)>)_labels[axis].Select(label =>
                (label, (IReadOnlyList<(string, string)>)_parts[axis].Select(p => (p.Key, p.Value[label])).ToList())).ToList()))];

    /// <summary>Adds a part to an axis (or finds one with the same texts) and returns its placeholder.</summary>
    public string Part(string axis, string name, Func<string, string> textOf)
    {
        var texts = _labels[axis].ToDictionary(label => label, textOf, StringComparer.Ordinal);
        return $"{{{{{axis}.{Register(axis, name, texts)}}}}}";
    }

    /// <summary>
    /// The Keel text for a value that depends on the condition: the value itself when it is the same in every
    /// condition, or a placeholder of the variable(s) it depends on.
    /// </summary>
    /// <param name="name">The part name to use (inner parts are prefixed with the outer label, e.g. <c>explicit_goal_statement</c>).</param>
    /// <param name="valueOf">The value in a condition; for combinations outside the grid it may throw, and the part then holds "".</param>
    /// <param name="reuseAny">
    /// Whether any part with the same texts may stand for this value (for derived values, such as an exemplar's
    /// recipient that is the requested channel); otherwise only a part of the same name is reused, so a template's
    /// <c>${name}</c> always reads <c>{{….name}}</c>.
    /// </param>
    public string Reference(string name, Func<Cell, string> valueOf, bool reuseAny = false) =>
        new Split(this, valueOf, reuseAny).Reference(name, SplitOrder, _grid, _grid[0]);

    /// <summary>One value being split over the axes it depends on.</summary>
    private sealed class Split(PartTable table, Func<Cell, string> valueOf, bool reuseAny)
    {
        private readonly Dictionary<Cell, string> _cache = [];

        public string Reference(string name, IReadOnlyList<string> axes, IReadOnlyList<Cell> cells, Cell anyCell)
        {
            if (cells.Count == 0) return KeelText.Literal(Safely(valueOf, anyCell), name);
            var depends = DependsOn(axes, cells, Of);
            if (depends.Count == 0) return KeelText.Literal(Of(cells[0]), name);

            var outer = depends[0];
            var inner = depends.Skip(1).ToList();
            var texts = table._labels[outer].ToDictionary(
                label => label,
                label => Reference($"{label}_{name}", inner, cells.Where(c => c[outer] == label).ToList(), cells[0].With(outer, label)),
                StringComparer.Ordinal);
            return $"{{{{{outer}.{table.Register(outer, name, texts, reuseAny)}}}}}";
        }

        private string Of(Cell cell) => _cache.TryGetValue(cell, out var value) ? value : _cache[cell] = valueOf(cell);
    }

    /// <summary>The fewest axes (in split order) whose labels decide the value in every given cell.</summary>
    private static List<string> DependsOn(IReadOnlyList<string> axes, IReadOnlyList<Cell> cells, Func<Cell, string> valueOf)
    {
        var subsets = Enumerable.Range(0, 1 << axes.Count)
            .Select(mask => axes.Where((_, i) => (mask & (1 << i)) != 0).ToList())
            .OrderBy(s => s.Count);
        foreach (var subset in subsets)
        {
            var decided = cells.GroupBy(c => string.Join('\0', subset.Select(a => c[a])))
                .All(g => g.Select(valueOf).Distinct(StringComparer.Ordinal).Count() == 1);
            if (decided) return subset;
        }

        return [.. axes];
    }

    private static string Safely(Func<Cell, string> valueOf, Cell cell)
    {
        try
        {
            return valueOf(cell);
        }
        catch (Exception ex) when (ex is InvalidDataException or Keel.Yaml.InputFormatException)
        {
            return "";
        }
    }

    private string Register(string axis, string name, IReadOnlyDictionary<string, string> texts, bool reuseAny = false)
    {
        var parts = _parts[axis];
        foreach (var (existing, values) in parts)
        {
            var sameName = existing == name || (existing.StartsWith(name + "_", StringComparison.Ordinal) && existing[(name.Length + 1)..].All(char.IsAsciiDigit));
            if ((reuseAny || sameName) && values.All(kv => texts[kv.Key] == kv.Value)) return existing;
        }

        var unique = name;
        for (var n = 2; parts.ContainsKey(unique); n++) unique = $"{name}_{n}";
        parts[unique] = texts;
        return unique;
    }
}
