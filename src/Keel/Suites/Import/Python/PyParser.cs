using System.Globalization;

namespace Keel.Suites.Import.Python;

/// <summary>
/// Parses the statements of a Python module that only assigns literal values: <c>NAME = expr</c> and
/// <c>A, B = expr</c>, where expressions are strings, numbers, names, <c>+</c>, subscripts, lists, tuples,
/// dicts and list comprehensions. Imports, docstrings and compound statements (def, class, if, …) are skipped.
/// An assignment whose value uses anything else is kept as a failure of its names, to report if one is needed.
/// </summary>
internal sealed class PyParser(IReadOnlyList<PyToken> tokens)
{
    private static readonly HashSet<string> Compound = ["def", "class", "if", "for", "while", "with", "try", "async"];
    private static readonly HashSet<string> Continuations = ["elif", "else", "except", "finally"];
    private int _i;

    private PyToken Current => tokens[_i];

    /// <summary>Each assignment in order: its target names and its value, or why the value cannot be read.</summary>
    public IEnumerable<(IReadOnlyList<string> Targets, PyExpr? Value, PyException? Error)> Assignments()
    {
        while (Current.Kind != PyTokenKind.End)
        {
            if (Current.Kind == PyTokenKind.Newline)
            {
                _i++;
                continue;
            }

            if (Current.Column > 1 || Current.IsOp("@") || (Current.Kind == PyTokenKind.Name && Compound.Contains(Current.Text)))
            {
                SkipBlock();
                continue;
            }

            var start = Current;
            var (targets, augmented) = Targets();
            if (targets is null)
            {
                SkipLine();
                continue;
            }

            PyExpr? value = null;
            PyException? error = null;
            try
            {
                value = Expression();
                if (augmented) value = new PyAddExpr(new PyNameExpr(targets[0], start.Line, start.Column), value, start.Line, start.Column);
                if (Current.Kind != PyTokenKind.Newline) throw Unsupported(Current, $"'{Current.Text}' after the value");
            }
            catch (PyException ex)
            {
                error = ex;
            }

            SkipLine();
            yield return (targets, value, error);
        }
    }

    /// <summary>
    /// The names before '=' (or the one name before '+=') when the statement is an assignment; null for any
    /// other statement.
    /// </summary>
    private (List<string>? Names, bool Augmented) Targets()
    {
        var start = _i;
        var names = new List<string>();
        while (Current.Kind == PyTokenKind.Name)
        {
            names.Add(Current.Text);
            _i++;
            if (Current.IsOp(":"))
            {
                // An annotation: skip it up to '='.
                while (Current.Kind is not (PyTokenKind.Newline or PyTokenKind.End) && !Current.IsOp("=")) _i++;
            }

            if (Current.IsOp("=") || (Current.IsOp("+=") && names.Count == 1))
            {
                var augmented = Current.IsOp("+=");
                _i++;
                return (names, augmented);
            }

            if (!Current.IsOp(",")) break;
            _i++;
        }

        _i = start;
        return (null, false);
    }

    private void SkipLine()
    {
        while (Current.Kind is not (PyTokenKind.Newline or PyTokenKind.End)) _i++;
    }

    private void SkipBlock()
    {
        SkipLine();
        while (Current.Kind == PyTokenKind.Newline)
        {
            var next = tokens[_i + 1];
            if (next.Kind == PyTokenKind.End || (next.Column == 1 && !(next.Kind == PyTokenKind.Name && Continuations.Contains(next.Text)))) return;
            _i++;
            SkipLine();
        }
    }

    private static PyException Unsupported(PyToken at, string what) =>
        new($"{what} is not supported here (the importer reads only literal strings, lists, tuples, dicts, '+' and list comprehensions)", at.Line, at.Column);

    private PyToken Expect(string op)
    {
        if (!Current.IsOp(op)) throw new PyException($"expected '{op}', found '{Current.Text}'", Current.Line, Current.Column);
        return tokens[_i++];
    }

    private PyExpr Expression()
    {
        var left = Postfix();
        while (Current.IsOp("+"))
        {
            var op = tokens[_i++];
            left = new PyAddExpr(left, Postfix(), op.Line, op.Column);
        }

        if (Current.Kind == PyTokenKind.Op && Current.Text is "-" or "*" or "/" or "%" or "//" or "**" or "|" or "&")
        {
            throw Unsupported(Current, $"the operator '{Current.Text}'");
        }

        if (Current.Kind == PyTokenKind.Name && Current.Text is "if" or "and" or "or" or "not" or "lambda") throw Unsupported(Current, $"'{Current.Text}'");
        return left;
    }

    private PyExpr Postfix()
    {
        var expr = Atom();
        while (true)
        {
            if (Current.IsOp("["))
            {
                var open = tokens[_i++];
                var index = Expression();
                Expect("]");
                expr = new PySubscriptExpr(expr, index, open.Line, open.Column);
            }
            else if (Current.IsOp(".") || Current.IsOp("("))
            {
                throw Unsupported(Current, Current.IsOp(".") ? "an attribute or method" : "a call");
            }
            else
            {
                return expr;
            }
        }
    }

    private PyExpr Atom()
    {
        var t = Current;
        switch (t.Kind)
        {
            case PyTokenKind.String:
                var text = new System.Text.StringBuilder();
                while (Current.Kind == PyTokenKind.String)
                {
                    if (Current.Unsupported is { } why) throw Unsupported(Current, why);
                    text.Append(Current.Value);
                    _i++;
                }

                return new PyStringExpr(text.ToString(), t.Line, t.Column);
            case PyTokenKind.Number:
                _i++;
                return long.TryParse(t.Text.Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                    ? new PyIntExpr(n, t.Line, t.Column)
                    : throw Unsupported(t, $"the number '{t.Text}'");
            case PyTokenKind.Name:
                _i++;
                return new PyNameExpr(t.Text, t.Line, t.Column);
        }

        _i++;
        return t.Text switch
        {
            "(" => Items(")", t, tuple: true),
            "[" => Items("]", t, tuple: false),
            "{" => Dict(t),
            _ => throw Unsupported(t, $"'{t.Text}'"),
        };
    }

    private PyExpr Items(string close, PyToken open, bool tuple)
    {
        var items = new List<PyExpr>();
        var comma = false;
        while (!Current.IsOp(close))
        {
            items.Add(Expression());
            if (!tuple && items.Count == 1 && Current.Kind == PyTokenKind.Name && Current.Text == "for") return Comprehension(items[0], open);
            if (Current.IsOp(close)) break;
            Expect(",");
            comma = true;
        }

        _i++;
        // "(x)" is x; "(x,)" and "()" are tuples.
        return tuple && items.Count == 1 && !comma ? items[0] : new PySequenceExpr(items, tuple, open.Line, open.Column);
    }

    private PyExpr Comprehension(PyExpr element, PyToken open)
    {
        _i++;
        var parenthesised = Current.IsOp("(");
        if (parenthesised) _i++;
        var targets = new List<string>();
        while (true)
        {
            if (Current.Kind != PyTokenKind.Name) throw Unsupported(Current, "this comprehension target");
            targets.Add(tokens[_i++].Text);
            if (!Current.IsOp(",")) break;
            _i++;
        }

        if (parenthesised) Expect(")");
        if (!(Current.Kind == PyTokenKind.Name && Current.Text == "in")) throw Unsupported(Current, "this comprehension");
        _i++;
        var iterable = Expression();
        if (!Current.IsOp("]")) throw Unsupported(Current, "a comprehension with 'if' or a second 'for'");
        _i++;
        return new PyListCompExpr(element, targets, iterable, open.Line, open.Column);
    }

    private PyExpr Dict(PyToken open)
    {
        var entries = new List<(PyExpr, PyExpr)>();
        while (!Current.IsOp("}"))
        {
            if (Current.IsOp("**")) throw Unsupported(Current, "'**' in a dict");
            var key = Expression();
            Expect(":");
            entries.Add((key, Expression()));
            if (Current.IsOp("}")) break;
            Expect(",");
        }

        _i++;
        return new PyDictExpr(entries, open.Line, open.Column);
    }
}
