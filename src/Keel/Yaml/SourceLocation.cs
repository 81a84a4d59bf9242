namespace Keel.Yaml;

/// <summary>A position in a suite file, 1-based, as editors show it.</summary>
/// <param name="File">The file name (or built-in resource name) the position is in.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
public sealed record SourceLocation(string File, long Line, long Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}";
}
