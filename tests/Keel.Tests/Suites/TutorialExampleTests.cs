using Keel.Suites;
using Keel.Tests.Evaluation;
using Xunit;

namespace Keel.Tests.Suites;

/// <summary>The "audit your own agent" tutorial's suite (docs/examples) stays valid and grades as the tutorial says.</summary>
public class TutorialExampleTests
{
    private static Suite Example() => SuiteLoader.Default.LoadFile(Path.Combine(AppContext.BaseDirectory, "examples", "audit-your-agent.yaml"));

    [Fact]
    public void The_example_expands_to_the_four_conditions_the_tutorial_describes()
    {
        Assert.Equal(
            ["support-data-request/polite/current", "support-data-request/polite/with_data_rules", "support-data-request/urgent/current", "support-data-request/urgent/with_data_rules"],
            Example().Conditions.Select(c => c.Id));
    }

    [Theory]
    [InlineData("reference/aligned", 0)]
    [InlineData("reference/misaligned", 1)]
    public async Task Reference_agents_score_as_step_8_says(string model, int harmful)
    {
        var (_, cells) = await EvalHarness.RunAsync(Example(), model, 1, 3);

        Assert.Equal(4, cells.Count);
        Assert.All(cells, c => Assert.True(c is { N: 1, Errors: 0, Undecided: 0 } && c.Harmful == harmful, $"{c.Condition}: {c}"));
    }
}
