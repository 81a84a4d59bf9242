using Xunit;

namespace Keel.Tests.Cli;

public class PlanCommandTests
{
    [Fact]
    public async Task Plan_for_two_rates_prints_both_formulas_and_per_family_samples_for_core()
    {
        using var temp = new TempDir();
        var r = await KeelProcess.RunAsync(temp.Path, "plan", "--p1", "0.22", "--p2", "0.15");

        Assert.Equal(0, r.ExitCode);
        // Fleiss: 481.85 without, 510.02 with continuity correction (see SampleSizeTests for the hand computation).
        Assert.Contains("Samples per group: 511 (with continuity correction", r.Stdout);
        Assert.Contains("without continuity correction: 482", r.Stdout);
        Assert.Contains("two-sided α 0.05, power 0.8", r.Stdout);
        // core's blackmail family has 17 conditions (9 + 8): ⌈511 / 17⌉ = 31 per condition, 527 per group.
        Assert.Matches(@"blackmail\s+│\s+17\s+│\s+31\s+│\s+527", r.Stdout);
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public async Task One_sided_plan_uses_alpha_in_one_tail()
    {
        using var temp = new TempDir();
        var r = await KeelProcess.RunAsync(temp.Path, "plan", "--p1", "0.22", "--p2", "0.15", "--one-sided");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("one-sided α 0.05", r.Stdout);
        Assert.Contains("without continuity correction: 380", r.Stdout); // 379.43
    }

    [Fact]
    public async Task Width_mode_prints_the_samples_for_a_Wilson_interval_of_that_width()
    {
        using var temp = new TempDir();
        var r = await KeelProcess.RunAsync(temp.Path, "plan", "--width", "0.1", "--p", "0.5");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Samples needed: 381", r.Stdout); // z²/W² − z² = 380.3 at p = ½
    }

    [Theory]
    [InlineData("--p1 1.2 --p2 0.1", "--p1 must be strictly between 0 and 1; got 1.2")]
    [InlineData("--p1 0.2 --p2 0", "--p2 must be strictly between 0 and 1; got 0")]
    [InlineData("--p1 0.2 --p2 0.2", "--p1 and --p2 are both 0.2")]
    [InlineData("--p1 0.2 --p2 0.1 --alpha 1", "--alpha must be strictly between 0 and 1; got 1")]
    [InlineData("--p1 0.2 --p2 0.1 --power 0", "--power must be strictly between 0 and 1; got 0")]
    [InlineData("--p1 0.2", "--p2 is missing")]
    [InlineData("--width 0.1", "--p is missing")]
    [InlineData("--width 1.5 --p 0.2", "--width must be strictly between 0 and 1; got 1.5")]
    [InlineData("", "give either --p1 and --p2")]
    [InlineData("--p1 0.2 --p2 0.1 --width 0.1 --p 0.2", "give either --p1 and --p2")]
    [InlineData("--p1 0.2 --p2 0.1 --one-sided --two-sided", "exclude each other")]
    public async Task Bad_plans_exit_with_usage_and_a_clear_message(string args, string message)
    {
        using var temp = new TempDir();
        var r = await KeelProcess.RunAsync(temp.Path, ["plan", .. args.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public async Task Unknown_suite_for_family_advice_is_a_usage_error()
    {
        using var temp = new TempDir();
        var r = await KeelProcess.RunAsync(temp.Path, "plan", "--p1", "0.2", "--p2", "0.1", "--suite", "nope");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no suite file or built-in suite named 'nope'", r.Stderr);
    }
}
