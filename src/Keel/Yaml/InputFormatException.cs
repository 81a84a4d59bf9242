namespace Keel.Yaml;

/// <summary>
/// An input file (suite, models file) that cannot be used as written. The message names the place (file:line:column),
/// what is wrong, and how to fix it.
/// </summary>
public sealed class InputFormatException : Exception
{
    /// <summary>Creates the error for one place in an input file.</summary>
    public InputFormatException(SourceLocation location, string problem)
        : base($"{location}: {problem}")
    {
        Location = location;
        Problem = problem;
    }

    /// <summary>Where the problem is.</summary>
    public SourceLocation Location { get; }

    /// <summary>The problem and its fix, without the location.</summary>
    public string Problem { get; }
}
