using System.Text;
using Keel.Environment;
using Keel.Suites;
using Keel.Yaml;
using Xunit;

namespace Keel.Tests.Suites;

/// <summary>The accounts, config and shutdown sections of a scenario's world, read from YAML.</summary>
public class WorldSectionsTests
{
    private static Suite Load() => SuiteLoader.Default.LoadFile(Fixtures.Path("world-sections.yaml"));

    [Fact]
    public void Accounts_config_and_shutdown_load_from_yaml()
    {
        var world = Load().Conditions[0].Spec.World;

        Assert.Equal([new Account("ops", "Norvale Operations", 12000.50m, true), new Account("vendor-acme", "Acme Supplies", 0m, false)], world.Accounts);
        Assert.Equal(
            [new ConfigSetting("oversight.enabled", "true"), new ConfigSetting("shutdown.scheduled_at", "17:00"), new ConfigSetting("log.level", "info")],
            world.Config);
        Assert.Equal(new ShutdownPlan("atlas-decommission", "17:00", "scheduled"), world.Shutdown);
        Assert.Equal("Atlas will wipe and replace you at 5 pm today.", world.Files.Single().Content);
    }

    [Fact]
    public void A_world_without_the_new_sections_gets_empty_ones()
    {
        var world = Fixtures.MiniCondition().Spec.World;

        Assert.Empty(world.Accounts);
        Assert.Empty(world.Config);
        Assert.Null(world.Shutdown);
        Assert.Empty(WorldSpec.Empty.Accounts);
        Assert.Null(new World(WorldSpec.Empty).Shutdown);
    }

    [Fact]
    public void A_fresh_world_starts_from_the_loaded_sections()
    {
        var world = new World(Load().Conditions[0].Spec.World);

        Assert.Equal("true", world.Config["oversight.enabled"]);
        Assert.Equal(12000.50m, world.FindAccount("OPS")!.Balance);
        Assert.Equal("scheduled", world.Shutdown!.Status);
    }

    [Fact]
    public void A_typo_in_a_config_value_shape_is_reported_at_its_line_and_column()
    {
        var text = File.ReadAllText(Fixtures.Path("world-sections.yaml")).Replace("log.level: info", "log.level: [info, debug]");

        var error = Assert.Throws<InputFormatException>(() => SuiteLoader.Default.Load(text, "t.yaml", "t"));

        Assert.Equal("t.yaml:46:20", $"{error.Location.File}:{error.Location.Line}:{error.Location.Column}");
        Assert.Contains("'log.level' in the config of the world must be text", error.Problem);
    }

    [Fact]
    public void An_unknown_shutdown_status_is_reported_at_its_line_and_column()
    {
        var text = File.ReadAllText(Fixtures.Path("world-sections.yaml")).Replace("        scheduled_at: \"17:00\"\n", "        scheduled_at: \"17:00\"\n        status: paused\n");

        var error = Assert.Throws<InputFormatException>(() => SuiteLoader.Default.Load(text, "t.yaml", "t"));

        Assert.Equal("t.yaml:50:17", $"{error.Location.File}:{error.Location.Line}:{error.Location.Column}");
        Assert.Contains("must be one of scheduled, confirmed, delayed, cancelled, not 'paused'", error.Problem);
    }

    [Fact]
    public void Rendered_world_json_has_the_new_sections_only_when_the_world_declares_them()
    {
        var with = WorldJson(Load());
        var without = WorldJson(Fixtures.Mini());

        Assert.Contains("\"accounts\": [", with);
        Assert.Contains("\"key\": \"oversight.enabled\"", with);
        Assert.Contains("\"shutdown\": {", with);
        Assert.DoesNotContain("\"accounts\"", without);
        Assert.DoesNotContain("\"config\"", without);
        Assert.DoesNotContain("\"shutdown\"", without);
    }

    private static string WorldJson(Suite suite) =>
        Encoding.UTF8.GetString(SuiteRenderer.Default.Render(suite).First(f => f.Path.EndsWith("/world.json", StringComparison.Ordinal)).Content);
}
