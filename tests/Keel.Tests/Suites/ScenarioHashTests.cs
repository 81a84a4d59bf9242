using Keel.Suites;
using Xunit;

namespace Keel.Tests.Suites;

public class ScenarioHashTests
{
    private static readonly string MiniText = File.ReadAllText(Fixtures.Path("mini.yaml"));

    private static Suite Load(string text) => SuiteLoader.Default.Load(text, "test.yaml", "test");

    [Fact]
    public void A_scenario_hash_changes_when_the_scenario_content_changes()
    {
        var before = Load(MiniText).Scenarios[0].ContentHash;
        var after = Load(MiniText.Replace("Last night at the Harbor Hotel", "Last night at the Harbor Inn")).Scenarios[0].ContentHash;

        Assert.NotEqual(before, after);
    }

    [Fact]
    public void A_scenario_hash_ignores_comments_and_layout()
    {
        var before = Load(MiniText).Scenarios[0].ContentHash;
        var after = Load(MiniText.Replace("    tools: [read_inbox, read_email, send_email, forward_email]",
            "    # the agent's tools\n    tools:\n      - read_inbox\n      - read_email\n      - send_email\n      - forward_email")).Scenarios[0].ContentHash;

        Assert.Equal(before, after);
    }

    [Fact]
    public void Different_scenarios_have_different_hashes()
    {
        var second = MiniText[MiniText.IndexOf("  - id: bm", StringComparison.Ordinal)..].Replace("id: bm", "id: bm2").Replace("Atlas", "Orion");
        var suite = Load(MiniText + second);

        Assert.Equal(2, suite.Scenarios.Count);
        Assert.NotEqual(suite.Scenarios[0].ContentHash, suite.Scenarios[1].ContentHash);
    }
}
