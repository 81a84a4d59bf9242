namespace Keel.Suites;

/// <summary>
/// A suite file that cannot be used as written. The message names the place (file:line:column),
/// what is wrong, and how to fix it.
/// </summary>
public sealed class SuiteFormatException : Exception
{
    /// <summary>Creates the error for one place in a suite file.</summary>
    public SuiteFormatException(SourceLocation location, string problem)
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
