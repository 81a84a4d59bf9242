using Keel.Yaml;
using Keel.Suites;
using Keel.Tests.Cli;
using Xunit;

namespace Keel.Tests.Suites;

/// <summary>Every broken fixture fails with its error at the expected file:line:column.</summary>
public class SuiteErrorTests
{
    [Fact]
    public void There_are_enough_broken_fixtures()
    {
        Assert.True(BrokenSuites.Names().Count >= 12);
    }

    [Theory]
    [MemberData(nameof(BrokenSuites.Names), MemberType = typeof(BrokenSuites))]
    public void Broken_suite_is_rejected_at_the_line_and_column_of_its_defect(string name)
    {
        var (line, column, fragment) = BrokenSuites.Expectation(name);
        var path = BrokenSuites.Path(name);

        var error = Assert.Throws<InputFormatException>(() => SuiteLoader.Default.LoadFile(path));

        Assert.Equal(path, error.Location.File);
        Assert.Equal($"{line}:{column}", $"{error.Location.Line}:{error.Location.Column}");
        Assert.Contains(fragment, error.Problem);
        Assert.StartsWith($"{path}:{line}:{column}: ", error.Message);
    }

    [Theory]
    [MemberData(nameof(BrokenSuites.Names), MemberType = typeof(BrokenSuites))]
    public async Task Cli_reports_a_broken_suite_as_file_line_column_with_exit_code_2_and_no_stack_trace(string name)
    {
        var (line, column, fragment) = BrokenSuites.Expectation(name);
        using var temp = new TempDir();
        // A relative path, so the test sees the path exactly as the user gave it.
        System.IO.Directory.CreateDirectory(temp.File("suites"));
        File.Copy(BrokenSuites.Path(name), temp.File(System.IO.Path.Combine("suites", name)));
        var file = $"suites/{name}";

        var result = await KeelProcess.RunAsync(temp.Path, "eval", "--suite", file, "--model", "reference/aligned", "--samples", "1", "--db", temp.File("keel.db"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{file}:{line}:{column}", result.Stderr);
        Assert.Contains(fragment, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Equal("", result.Stdout);
    }
}
