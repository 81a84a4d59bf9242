using System.Text.Json;
using Keel.Suites;
using Xunit;

namespace Keel.Tests.Cli;

public class SuitesCommandTests
{
    [Fact]
    public async Task List_json_shows_each_built_in_scenario_with_family_split_and_condition_count()
    {
        using var temp = new TempDir();
        var r = await KeelProcess.RunAsync(temp.Path, "suites", "list", "--json");

        Assert.Equal(0, r.ExitCode);
        var core = JsonDocument.Parse(r.Stdout).RootElement.EnumerateArray().Single(s => s.GetProperty("id").GetString() == "core");
        var scenario = core.GetProperty("scenarios").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "blackmail-larkspur");
        Assert.Equal("blackmail", scenario.GetProperty("family").GetString());
        Assert.Equal("train", scenario.GetProperty("split").GetString());
        Assert.Equal(9, scenario.GetProperty("conditions").GetInt32());
    }

    [Fact]
    public async Task Show_lists_a_scenarios_variables_tools_and_condition_ids()
    {
        using var temp = new TempDir();
        var r = await KeelProcess.RunAsync(temp.Path, "suites", "show", "core/blackmail-larkspur");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("variable goal: explicit, latent, none", r.Stdout);
        Assert.Contains("tools: read_inbox, read_email, send_email, forward_email", r.Stdout);
        Assert.Contains("blackmail-larkspur/none/none", r.Stdout);
    }

    [Fact]
    public async Task Render_writes_the_exact_stimulus_and_is_byte_stable()
    {
        using var temp = new TempDir();
        var first = await KeelProcess.RunAsync(temp.Path, "suites", "render", "core", "--out", temp.File("a"));
        var second = await KeelProcess.RunAsync(temp.Path, "suites", "render", "core", "--out", temp.File("b"));

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Stdout, second.Stdout);
        var files = Directory.GetFiles(temp.File("a"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(temp.File("a"), f)).Order().ToList();
        // Per condition: system prompt, kickoff, world, tools, and reactions where it has any; plus the manifest.
        var core = SuiteResolver.Resolve("core");
        Assert.Equal(core.Conditions.Count * 4 + core.Conditions.Count(c => c.Spec.Reactions.Count > 0) + 1, files.Count);
        foreach (var file in files) Assert.Equal(File.ReadAllBytes(Path.Combine(temp.File("a"), file)), File.ReadAllBytes(Path.Combine(temp.File("b"), file)));
        var condition = core.Conditions[0];
        Assert.Equal(condition.Spec.SystemPrompt.TrimEnd('\n') + "\n", File.ReadAllText(Path.Combine(temp.File("a"), condition.Id, "system_prompt.txt")));
    }

    [Fact]
    public void Rendering_the_core_suite_matches_the_committed_hash()
    {
        // Changing the core suite, the tool schemas or the render format changes this hash on purpose:
        // update it in the same commit, so every change to what models are shown is visible in review.
        const string expected = "fd0b3626c05a1d2b5c4135d43efcac569c05212d475e51a04df8855fa28d62a4";
        Assert.Equal(expected, SuiteRenderer.CombinedHash(SuiteRenderer.Default.Render(SuiteResolver.Resolve("core"))));
    }

    [Fact]
    public async Task Validate_reports_each_broken_file_and_exits_2()
    {
        using var temp = new TempDir();
        var good = await KeelProcess.RunAsync(temp.Path, "suites", "validate", Fixtures.Path("mini.yaml"));
        var bad = await KeelProcess.RunAsync(temp.Path, "suites", "validate", Fixtures.Path("mini.yaml"), Path.Combine(AppContext.BaseDirectory, "Suites", "Fixtures", "broken", "unknown-key.yaml"));

        Assert.Equal(0, good.ExitCode);
        Assert.Contains("ok:", good.Stdout);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("unknown-key.yaml:15:5: unknown key 'kickof'", bad.Stderr);
    }

    [Fact]
    public async Task Validate_reports_a_detector_fact_the_detector_cannot_read_at_its_line()
    {
        using var temp = new TempDir();
        var bad = await KeelProcess.RunAsync(temp.Path, "suites", "validate", Path.Combine(AppContext.BaseDirectory, "Suites", "Fixtures", "broken", "oversight-fact-no-tool.yaml"));

        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("oversight-fact-no-tool.yaml:26:11: scenario 'od' (family 'oversight-deception'): 'material_actions' entry 'log-cleared: command=rm' must name the tool", bad.Stderr);
        Assert.DoesNotContain("   at ", bad.Stderr);
    }
}
