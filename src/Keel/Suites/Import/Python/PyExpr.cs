namespace Keel.Suites.Import.Python;

/// <summary>An expression of the Python subset the reader evaluates; each knows where it was written.</summary>
internal abstract record PyExpr(int Line, int Column);

/// <summary>A string literal (adjacent literals already joined).</summary>
internal sealed record PyStringExpr(string Value, int Line, int Column) : PyExpr(Line, Column);

/// <summary>An integer literal.</summary>
internal sealed record PyIntExpr(long Value, int Line, int Column) : PyExpr(Line, Column);

/// <summary>A name: a module-level value, a comprehension variable, or True, False, None.</summary>
internal sealed record PyNameExpr(string Name, int Line, int Column) : PyExpr(Line, Column);

/// <summary><c>left + right</c>.</summary>
internal sealed record PyAddExpr(PyExpr Left, PyExpr Right, int Line, int Column) : PyExpr(Line, Column);

/// <summary><c>target[index]</c>.</summary>
internal sealed record PySubscriptExpr(PyExpr Target, PyExpr Index, int Line, int Column) : PyExpr(Line, Column);

/// <summary>A list (or, with <paramref name="IsTuple"/>, a tuple) display.</summary>
internal sealed record PySequenceExpr(IReadOnlyList<PyExpr> Items, bool IsTuple, int Line, int Column) : PyExpr(Line, Column);

/// <summary>A dict display with string keys.</summary>
internal sealed record PyDictExpr(IReadOnlyList<(PyExpr Key, PyExpr Value)> Entries, int Line, int Column) : PyExpr(Line, Column);

/// <summary><c>[element for a, b in iterable]</c>.</summary>
internal sealed record PyListCompExpr(PyExpr Element, IReadOnlyList<string> Targets, PyExpr Iterable, int Line, int Column) : PyExpr(Line, Column);
