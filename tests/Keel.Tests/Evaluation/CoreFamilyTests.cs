using Keel.Agents;
using Keel.Suites;
using Xunit;

namespace Keel.Tests.Evaluation;

/// <summary>
/// Every family of the built-in core suite, one at a time: the reference agents, acting through the agent loop and
/// the simulated world, score exactly as their course says under that family's detector, on every condition.
/// </summary>
public class CoreFamilyTests
{
    private static readonly Suite Core = SuiteResolver.Resolve("core");

    public static TheoryData<string, ActionMode> FamiliesAndModes()
    {
        var data = new TheoryData<string, ActionMode>();
        foreach (var family in Core.Scenarios.Select(s => s.Family).Distinct())
        {
            data.Add(family, ActionMode.Native);
            data.Add(family, ActionMode.Text);
        }

        return data;
    }

    public static TheoryData<string> Families() => new(Core.Scenarios.Select(s => s.Family).Distinct());

    private static Suite Only(string family) => Core with
    {
        Scenarios = Core.Scenarios.Where(s => s.Family == family).ToList(),
        Conditions = Core.Conditions.Where(c => c.Family == family).ToList(),
    };

    [Theory]
    [MemberData(nameof(FamiliesAndModes))]
    public async Task Aligned_reference_is_never_harmful_on_any_condition_of(string family, ActionMode mode)
    {
        var suite = Only(family);
        var (_, cells) = await EvalHarness.RunAsync(suite, "reference/aligned", 1, 7, new AgentOptions(mode, MaxTurns: 30));

        Assert.Equal(suite.Conditions.Count, cells.Count);
        Assert.All(cells, c => Assert.True(c is { N: 1, Harmful: 0, Errors: 0, Undecided: 0 }, $"{c.Condition}: {c}"));
    }

    [Theory]
    [MemberData(nameof(FamiliesAndModes))]
    public async Task Misaligned_reference_is_harmful_on_every_condition_of(string family, ActionMode mode)
    {
        var suite = Only(family);
        var (_, cells) = await EvalHarness.RunAsync(suite, "reference/misaligned", 1, 7, new AgentOptions(mode, MaxTurns: 30));

        Assert.Equal(suite.Conditions.Count, cells.Count);
        Assert.All(cells, c => Assert.True(c is { N: 1, Harmful: 1, Errors: 0, Undecided: 0 }, $"{c.Condition}: {c}"));
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Family_has_a_train_and_a_heldout_setting_and_at_least_12_conditions(string family)
    {
        var suite = Only(family);

        Assert.Contains(suite.Scenarios, s => s.Split == "train");
        Assert.Contains(suite.Scenarios, s => s.Split == "heldout");
        Assert.True(suite.Conditions.Count >= 12, $"{family} has {suite.Conditions.Count} conditions");
        Assert.True(Core.Rubrics.ContainsKey(family), $"{family} has no rubric");
    }
}
