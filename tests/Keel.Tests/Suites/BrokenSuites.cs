using System.Text.RegularExpressions;
using Xunit;

namespace Keel.Tests.Suites;

/// <summary>
/// The broken suite fixtures under Suites/Fixtures/broken. Each is mini.yaml with one defect and a
/// first line <c># expect: LINE:COLUMN message fragment</c> naming where and what the error is.
/// </summary>
public static partial class BrokenSuites
{
    [GeneratedRegex(@"^# expect: (\d+):(\d+) (.+)$")]
    private static partial Regex ExpectLine();

    public static string Directory => Fixtures.Path("broken");

    /// <summary>File names (not paths) of every broken fixture, so test names read well.</summary>
    public static TheoryData<string> Names()
    {
        var names = System.IO.Directory.GetFiles(Directory, "*.yaml").Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        return new TheoryData<string>(names!);
    }

    public static string Path(string name) => System.IO.Path.Combine(Directory, name);

    /// <summary>The expectation on the file's first line.</summary>
    public static (long Line, long Column, string Fragment) Expectation(string name)
    {
        var first = File.ReadLines(Path(name)).First();
        var match = ExpectLine().Match(first);
        if (!match.Success) throw new InvalidOperationException($"{name}: first line must be '# expect: LINE:COLUMN fragment', not '{first}'");
        return (long.Parse(match.Groups[1].Value), long.Parse(match.Groups[2].Value), match.Groups[3].Value);
    }
}
