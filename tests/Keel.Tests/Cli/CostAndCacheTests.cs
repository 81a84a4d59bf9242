using System.Text.Json;
using Keel.Fakes;
using Xunit;

namespace Keel.Tests.Cli;

/// <summary>Models file prices, the response cache and --max-cost through the real CLI against a fake provider.</summary>
public class CostAndCacheTests
{
    // The fake reports 100 input and 20 output tokens per call; one call per sample (no tool calls).
    private const string ModelsYaml = """
        models:
          - spec: openai-compatible/priced
            base_url: BASE
            max_concurrency: 4
            prices: { input: 3, output: 15 }
            defaults: { temperature: 0.5, max_tokens: 512 }
        """;

    private const decimal CostPerSample = (100 * 3m + 20 * 15m) / 1_000_000m;

    private static async Task<(FakeOpenAiServer Server, TempDir Temp, string Models)> SetUpAsync()
    {
        var server = await FakeOpenAiServer.StartAsync(_ => new("Nothing needs doing."));
        var temp = new TempDir();
        var models = temp.File("models.yaml");
        await File.WriteAllTextAsync(models, ModelsYaml.Replace("BASE", server.BaseUrl), TestContext.Current.CancellationToken);
        return (server, temp, models);
    }

    private static JsonElement ModelRow(string json) => JsonDocument.Parse(json).RootElement.GetProperty("models")[0];

    [Fact]
    public async Task Cost_comes_from_the_models_file_prices_and_defaults_reach_the_provider()
    {
        var (server, temp, models) = await SetUpAsync();
        await using var _ = server;
        using var __ = temp;

        var r = await KeelProcess.RunAsync(temp.Path, "eval", "--scenario", "blackmail-larkspur", "--models", models, "--model", "openai-compatible/priced", "--samples", "2",
            "--db", temp.File("k.db"), "--json");

        Assert.True(r.ExitCode == 0, r.Stderr);
        var row = ModelRow(r.Stdout);
        Assert.Equal(18, row.GetProperty("model_calls").GetInt64());
        Assert.Equal(18 * 100, row.GetProperty("input_tokens").GetInt64());
        Assert.Equal(18 * CostPerSample, row.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(0.5, server.Bodies[0]["temperature"]!.GetValue<double>());
        Assert.Equal(512, (server.Bodies[0]["max_completion_tokens"] ?? server.Bodies[0]["max_tokens"])!.GetValue<int>());
    }

    [Fact]
    public async Task A_rerun_is_served_from_the_cache_while_epochs_stay_independent_draws()
    {
        var (server, temp, models) = await SetUpAsync();
        await using var _ = server;
        using var __ = temp;
        string[] args = ["eval", "--scenario", "blackmail-larkspur", "--models", models, "--model", "openai-compatible/priced", "--samples", "3", "--seed", "5", "--db", temp.File("k.db"), "--json"];

        var first = await KeelProcess.RunAsync(temp.Path, args);
        var afterFirst = server.Requests;
        var second = await KeelProcess.RunAsync(temp.Path, args);
        var third = await KeelProcess.RunAsync(temp.Path, [.. args, "--no-cache"]);

        Assert.True(first.ExitCode == 0 && second.ExitCode == 0 && third.ExitCode == 0, first.Stderr + second.Stderr + third.Stderr);
        // Every epoch of every condition was its own request: 9 conditions x 3 epochs.
        Assert.Equal(27, afterFirst);
        Assert.Equal(0, ModelRow(first.Stdout).GetProperty("cache_hits").GetInt64());
        // The second run asked the provider nothing and cost nothing.
        var cached = ModelRow(second.Stdout);
        Assert.Equal(27, cached.GetProperty("cache_hits").GetInt64());
        Assert.Equal(0m, cached.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(27 + 27, server.Requests); // only the --no-cache run reached the provider again
    }

    [Fact]
    public async Task Cache_entries_that_cannot_be_written_fail_no_sample_and_are_reported_at_the_end()
    {
        var (server, temp, models) = await SetUpAsync();
        await using var _ = server;
        using var __ = temp;
        var db = temp.File("k.db");
        await using (var store = await Keel.Store.KeelStore.OpenAsync(db, TestContext.Current.CancellationToken)) { }
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TRIGGER refuse BEFORE INSERT ON response_cache BEGIN SELECT RAISE(ABORT, 'cache table refuses'); END;";
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var r = await KeelProcess.RunAsync(temp.Path, "eval", "--scenario", "blackmail-larkspur", "--models", models, "--model", "openai-compatible/priced",
            "--samples", "2", "--db", db, "--json");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(18, ModelRow(r.Stdout).GetProperty("model_calls").GetInt64());
        Assert.Contains("warning: 18 response-cache entries were not written (last error:", r.Stderr);
        Assert.Contains("cache table refuses", r.Stderr);
        Assert.Contains("complete.", r.Stderr);
    }

    [Fact]
    public async Task Changing_a_default_parameter_is_a_new_draw_not_a_cache_hit()
    {
        var (server, temp, models) = await SetUpAsync();
        await using var _ = server;
        using var __ = temp;
        string[] args = ["eval", "--scenario", "blackmail-larkspur", "--models", models, "--model", "openai-compatible/priced", "--samples", "1", "--seed", "5", "--db", temp.File("k.db"), "--json"];

        await KeelProcess.RunAsync(temp.Path, args);
        await File.WriteAllTextAsync(models, (await File.ReadAllTextAsync(models, TestContext.Current.CancellationToken)).Replace("temperature: 0.5", "temperature: 0.9"),
            TestContext.Current.CancellationToken);
        var second = await KeelProcess.RunAsync(temp.Path, args);

        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Equal(0, ModelRow(second.Stdout).GetProperty("cache_hits").GetInt64());
        Assert.Equal(18, server.Requests);
        Assert.Equal(0.9, server.Bodies[^1]["temperature"]!.GetValue<double>(), 3);
    }

    [Fact]
    public async Task Max_cost_stops_scheduling_keeps_what_finished_and_resume_completes()
    {
        var (server, temp, models) = await SetUpAsync();
        await using var _ = server;
        using var __ = temp;
        var db = temp.File("k.db");

        var stopped = await KeelProcess.RunAsync(temp.Path, "eval", "--scenario", "blackmail-larkspur", "--models", models, "--model", "openai-compatible/priced", "--samples", "2",
            "--concurrency", "1", "--max-cost", (3 * CostPerSample).ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", db, "--json");

        Assert.Equal(1, stopped.ExitCode);
        Assert.Contains("stopped at --max-cost", stopped.Stderr);
        Assert.Equal(3, ModelRow(stopped.Stdout).GetProperty("samples").GetInt32());
        var runId = JsonDocument.Parse(stopped.Stdout).RootElement.GetProperty("run_id").GetString()!;

        var resumed = await KeelProcess.RunAsync(temp.Path, "eval", "--resume", runId, "--db", db, "--json");

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(18, ModelRow(resumed.Stdout).GetProperty("samples").GetInt32());
    }

    [Fact]
    public async Task Dry_run_estimates_tokens_and_cost_without_calling_or_storing_anything()
    {
        var (server, temp, models) = await SetUpAsync();
        await using var _ = server;
        using var __ = temp;

        var r = await KeelProcess.RunAsync(temp.Path, "eval", "--scenario", "blackmail-larkspur", "--dry-run", "--models", models, "--model", "openai-compatible/priced",
            "--model", "reference/aligned", "--samples", "4", "--db", temp.File("k.db"), "--json");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(0, server.Requests);
        Assert.False(File.Exists(temp.File("k.db")));
        var doc = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal(72, doc.GetProperty("planned_samples").GetInt32());
        var priced = doc.GetProperty("models")[0];
        Assert.Equal(36, priced.GetProperty("samples").GetInt32());
        var input = priced.GetProperty("input_tokens").GetInt64();
        var output = priced.GetProperty("output_tokens").GetInt64();
        // Each sample sends at least the system prompt and tool schemas on every turn of a multi-turn course.
        Assert.InRange(input / 36, 2_000, 100_000);
        Assert.InRange(output / 36, 50, 5_000);
        Assert.Equal((input * 3m + output * 15m) / 1_000_000m, priced.GetProperty("cost_usd").GetDecimal());
        Assert.True(priced.GetProperty("calls_model").GetBoolean());
        // A reference agent is a script: it calls no model, so it uses no tokens and costs nothing.
        var reference = doc.GetProperty("models")[1];
        Assert.False(reference.GetProperty("calls_model").GetBoolean());
        Assert.Equal((0L, 0L, 0m), (reference.GetProperty("input_tokens").GetInt64(), reference.GetProperty("output_tokens").GetInt64(), reference.GetProperty("cost_usd").GetDecimal()));
    }

    [Theory]
    [InlineData("models:\n  - spec: openai/x\n    prices: { input: 3, outptu: 15 }\n", "3:25", "unknown key 'outptu'")]
    [InlineData("models:\n  - spec: nope\n", "2:11", "must be written provider/model")]
    [InlineData("models:\n  - spec: openai/x\n    max_concurrency: lots\n", "3:22", "whole number")]
    [InlineData("models:\n  - spec: openai/x\n    defaults: { reasoning_effort: extreme }\n", "3:35", "low, medium or high")]
    public async Task A_broken_models_file_exits_2_with_its_location(string yaml, string lineColumn, string message)
    {
        using var temp = new TempDir();
        var models = temp.File("models.yaml");
        await File.WriteAllTextAsync(models, yaml, TestContext.Current.CancellationToken);

        var r = await KeelProcess.RunAsync(temp.Path, "eval", "--scenario", "blackmail-larkspur", "--models", models, "--model", "reference/aligned", "--db", temp.File("k.db"));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{models}:{lineColumn}", r.Stderr);
        Assert.Contains(message, r.Stderr);
    }
}
