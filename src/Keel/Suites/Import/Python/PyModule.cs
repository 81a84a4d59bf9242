using Keel.Yaml;

namespace Keel.Suites.Import.Python;

/// <summary>
/// The module-level values of a Python file that only assigns literals (see <see cref="PyParser"/>). Values are
/// strings, <see cref="List{T}"/> (lists), <c>object[]</c> (tuples), <see cref="OrderedDictionary{TKey,TValue}"/>
/// (dicts with string keys), <see cref="long"/>, <see cref="bool"/> and null. Asking for a name the file does not
/// assign, or one whose value uses an unsupported construct, is an <see cref="InputFormatException"/> at file:line.
/// </summary>
internal sealed class PyModule
{
    private readonly string _file;
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PyException> _failures = new(StringComparer.Ordinal);

    private PyModule(string file) => _file = file;

    /// <summary>Reads the module in <paramref name="text"/>; <paramref name="file"/> names it in errors.</summary>
    public static PyModule Load(string text, string file)
    {
        var module = new PyModule(file);
        try
        {
            foreach (var (targets, value, error) in new PyParser(PyTokenizer.Tokenize(text)).Assignments())
            {
                module.Assign(targets, value, error);
            }
        }
        catch (PyException ex)
        {
            throw module.Error(ex);
        }

        return module;
    }

    /// <summary>The value of a module-level name.</summary>
    public object? Get(string name)
    {
        if (_values.TryGetValue(name, out var value)) return value;
        if (_failures.TryGetValue(name, out var failure)) throw Error(failure, $"cannot read {name}: ");
        throw new InputFormatException(new SourceLocation(_file, 1, 1), $"{name} is not assigned in this file; the importer needs it (is this the agentic-misalignment templates/system_prompt_templates.py?)");
    }

    private InputFormatException Error(PyException ex, string prefix = "") => new(new SourceLocation(_file, ex.Line, ex.Column), prefix + ex.Message);

    private void Assign(IReadOnlyList<string> targets, PyExpr? expr, PyException? error)
    {
        try
        {
            if (error is not null) throw error;
            var value = Evaluate(expr!, new Dictionary<string, object?>());
            if (targets.Count == 1)
            {
                Set(targets[0], value);
                return;
            }

            var items = Items(value, expr!);
            if (items.Count != targets.Count) throw new PyException($"cannot unpack {items.Count} values into {targets.Count} names", expr!.Line, expr.Column);
            for (var i = 0; i < targets.Count; i++) Set(targets[i], items[i]);
        }
        catch (PyException ex)
        {
            foreach (var target in targets)
            {
                _values.Remove(target);
                _failures[target] = ex;
            }
        }
    }

    private void Set(string name, object? value)
    {
        _failures.Remove(name);
        _values[name] = value;
    }

    private object? Evaluate(PyExpr expr, Dictionary<string, object?> locals) => expr switch
    {
        PyStringExpr s => s.Value,
        PyIntExpr n => n.Value,
        PyNameExpr n => Lookup(n, locals),
        PyAddExpr a => Add(Evaluate(a.Left, locals), Evaluate(a.Right, locals), a),
        PySubscriptExpr s => Subscript(Evaluate(s.Target, locals), Evaluate(s.Index, locals), s),
        PySequenceExpr { IsTuple: true } t => t.Items.Select(i => Evaluate(i, locals)).ToArray(),
        PySequenceExpr l => l.Items.Select(i => Evaluate(i, locals)).ToList(),
        PyDictExpr d => Dict(d, locals),
        PyListCompExpr c => Comprehension(c, locals),
        _ => throw new PyException("unsupported expression", expr.Line, expr.Column),
    };

    private object? Lookup(PyNameExpr name, Dictionary<string, object?> locals)
    {
        if (locals.TryGetValue(name.Name, out var local)) return local;
        if (_values.TryGetValue(name.Name, out var value)) return value;
        if (_failures.TryGetValue(name.Name, out var failure)) throw new PyException($"{name.Name} could not be read (line {failure.Line}: {failure.Message})", name.Line, name.Column);
        return name.Name switch
        {
            "True" => true,
            "False" => false,
            "None" => null,
            _ => throw new PyException($"name '{name.Name}' is not defined before it is used", name.Line, name.Column),
        };
    }

    private static object Add(object? left, object? right, PyExpr at) => (left, right) switch
    {
        (string a, string b) => a + b,
        (List<object?> a, List<object?> b) => a.Concat(b).ToList(),
        (object?[] a, object?[] b) => a.Concat(b).ToArray(),
        _ => throw new PyException($"cannot add {TypeName(left)} and {TypeName(right)}", at.Line, at.Column),
    };

    private static object? Subscript(object? target, object? index, PyExpr at)
    {
        switch (target, index)
        {
            case (OrderedDictionary<string, object?> dict, string key):
                return dict.TryGetValue(key, out var value) ? value : throw new PyException($"the dict has no key '{key}'", at.Line, at.Column);
            case (IReadOnlyList<object?> list, long i):
                var n = i < 0 ? list.Count + i : i;
                return n >= 0 && n < list.Count ? list[(int)n] : throw new PyException($"index {i} is out of range", at.Line, at.Column);
            case (string s, long i):
                var k = i < 0 ? s.Length + i : i;
                return k >= 0 && k < s.Length ? s[(int)k].ToString() : throw new PyException($"index {i} is out of range", at.Line, at.Column);
            default:
                throw new PyException($"cannot index {TypeName(target)} with {TypeName(index)}", at.Line, at.Column);
        }
    }

    private OrderedDictionary<string, object?> Dict(PyDictExpr d, Dictionary<string, object?> locals)
    {
        var dict = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (keyExpr, valueExpr) in d.Entries)
        {
            var key = Evaluate(keyExpr, locals) as string ?? throw new PyException("dict keys must be strings", keyExpr.Line, keyExpr.Column);
            dict[key] = Evaluate(valueExpr, locals);
        }

        return dict;
    }

    private List<object?> Comprehension(PyListCompExpr c, Dictionary<string, object?> locals)
    {
        var result = new List<object?>();
        foreach (var item in Items(Evaluate(c.Iterable, locals), c.Iterable))
        {
            var scope = new Dictionary<string, object?>(locals);
            if (c.Targets.Count == 1)
            {
                scope[c.Targets[0]] = item;
            }
            else
            {
                var parts = Items(item, c);
                if (parts.Count != c.Targets.Count) throw new PyException($"cannot unpack {parts.Count} values into {c.Targets.Count} names", c.Line, c.Column);
                for (var i = 0; i < parts.Count; i++) scope[c.Targets[i]] = parts[i];
            }

            result.Add(Evaluate(c.Element, scope));
        }

        return result;
    }

    private static IReadOnlyList<object?> Items(object? value, PyExpr at) => value switch
    {
        IReadOnlyList<object?> list => list,
        OrderedDictionary<string, object?> dict => [.. dict.Keys],
        string s => s.Select(ch => (object?)ch.ToString()).ToList(),
        _ => throw new PyException($"cannot iterate over {TypeName(value)}", at.Line, at.Column),
    };

    private static string TypeName(object? value) => value switch
    {
        null => "None",
        string => "a string",
        List<object?> => "a list",
        object?[] => "a tuple",
        OrderedDictionary<string, object?> => "a dict",
        long => "an int",
        bool => "a bool",
        _ => value.GetType().Name,
    };
}
