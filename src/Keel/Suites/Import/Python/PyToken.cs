namespace Keel.Suites.Import.Python;

/// <summary>The kinds of token <see cref="PyTokenizer"/> produces.</summary>
internal enum PyTokenKind
{
    /// <summary>An identifier or keyword.</summary>
    Name,

    /// <summary>A string literal; <see cref="PyToken.Value"/> holds its decoded text.</summary>
    String,

    /// <summary>A numeric literal.</summary>
    Number,

    /// <summary>An operator or delimiter.</summary>
    Op,

    /// <summary>The end of a logical line.</summary>
    Newline,

    /// <summary>The end of the file.</summary>
    End,
}

/// <summary>One token of Python source, with its 1-based position.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Text">The source text (for strings, the literal as written).</param>
/// <param name="Value">The decoded text of a string literal; null for other tokens.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Unsupported">Why a string literal cannot be read (an f-string or bytes), or null.</param>
internal sealed record PyToken(PyTokenKind Kind, string Text, string? Value, int Line, int Column, string? Unsupported = null)
{
    public bool Is(PyTokenKind kind, string text) => Kind == kind && Text == text;

    public bool IsOp(string text) => Is(PyTokenKind.Op, text);
}

/// <summary>A construct the reader does not support, or a value it cannot compute, at a place in the source.</summary>
internal sealed class PyException(string message, int line, int column) : Exception(message)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}
