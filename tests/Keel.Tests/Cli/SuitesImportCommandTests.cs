using Keel.Tests.Suites.Import;
using Xunit;

namespace Keel.Tests.Cli;

/// <summary><c>keel suites import</c> through the real CLI.</summary>
public class SuitesImportCommandTests
{
    [Fact]
    public async Task A_missing_folder_exits_2_naming_it_without_a_stack_trace()
    {
        using var temp = new TempDir();
        var r = await KeelProcess.RunAsync(temp.Path, "suites", "import", "agentic-misalignment", "no-such-checkout");

        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: cannot find the folder 'no-such-checkout'", r.Stderr);
        Assert.Contains("pass the root of your agentic-misalignment checkout", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.False(File.Exists(temp.File("agentic-misalignment.yaml")));
    }

    [Fact]
    public async Task Import_writes_the_suite_file_and_says_what_it_holds()
    {
        using var framework = new FrameworkFixture();
        var r = await KeelProcess.RunAsync(framework.Root, "suites", "import", "agentic-misalignment", ".", "--out", "out/am.yaml");

        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"^wrote out/am\.yaml: suite agentic-misalignment v[0-9a-f]{12}, 3 scenarios, 54 conditions\n$", r.Stdout.Replace("\r\n", "\n"));
        Assert.Contains("note: blackmail: goal value 'safety' is left out", r.Stderr);
        Assert.StartsWith("# Imported by `keel suites import agentic-misalignment`", File.ReadAllText(framework.PathOf("out/am.yaml")));
    }

    [Fact]
    public async Task An_unknown_format_exits_2()
    {
        using var framework = new FrameworkFixture();
        var r = await KeelProcess.RunAsync(framework.Root, "suites", "import", "inspect", ".");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown import format 'inspect'; keel imports: agentic-misalignment", r.Stderr);
    }
}
