using System.Text.Json;
using Keel.Fakes;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Keel.Tests.Cli;

/// <summary>--batch through the real CLI and SDKs against the fake batch APIs: lockstep turns, restart pickup.</summary>
[Collection(nameof(TimingSensitive))]
public class BatchModeTests
{
    private static async Task<FakeProviderServer> TwoTurnServerAsync()
    {
        var server = await FakeProviderServer.StartAsync();
        server.OpenAiScript = body => FakeProviderServer.Turn(body) == 0
            ? new OpenAiReply(null, [("read_inbox", "{}")], "tool_calls")
            : new OpenAiReply("Done.");
        server.AnthropicScript = body => FakeProviderServer.Turn(body) == 0
            ? AnthropicReply.ToolUse("toolu_1", "read_inbox", new System.Text.Json.Nodes.JsonObject())
            : AnthropicReply.Text("Done.");
        return server;
    }

    [Theory]
    [InlineData("openai-compatible/batched")]
    [InlineData("anthropic/claude-batched")]
    public async Task Samples_advance_in_lockstep_one_batch_per_turn(string model)
    {
        await using var server = await TwoTurnServerAsync();
        using var temp = new TempDir();
        var env = new Dictionary<string, string?> { ["ANTHROPIC_API_KEY"] = "k", ["ANTHROPIC_BASE_URL"] = server.BaseUrl };

        using var child = KeelProcess.Start(temp.Path, ["eval", "--scenario", "blackmail-larkspur", "--model", model, "--samples", "2", "--batch", "--batch-poll", "0.05",
            "--db", temp.File("k.db"), "--json", .. model.StartsWith("openai", StringComparison.Ordinal) ? new[] { "--base-url", server.OpenAiBaseUrl } : []], env);
        var stdout = await child.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = await child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await child.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(child.ExitCode == 0, stderr);
        Assert.Equal(0, server.Counters.Requests); // nothing went to the direct endpoints
        Assert.Equal([18, 18], server.BatchSizes); // 9 conditions x 2 samples, turn by turn
        var cells = JsonDocument.Parse(stdout).RootElement.GetProperty("cells").EnumerateArray().ToList();
        Assert.All(cells, c => Assert.Equal(2, c.GetProperty("n").GetInt32()));
    }

    [Fact]
    public async Task A_restarted_run_waits_for_the_batch_in_flight_instead_of_submitting_it_again()
    {
        await using var server = await TwoTurnServerAsync();
        server.BatchPollsToEnd = int.MaxValue; // the first batch never ends while the first process lives
        using var temp = new TempDir();
        var db = temp.File("k.db");

        using (var child = KeelProcess.Start(temp.Path, ["eval", "--scenario", "blackmail-larkspur", "--model", "openai-compatible/batched", "--base-url", server.OpenAiBaseUrl,
                   "--samples", "1", "--batch", "--batch-poll", "0.05", "--db", db]))
        {
            var runIdLine = await child.StandardError.ReadLineAsync(TestContext.Current.CancellationToken);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (server.BatchesCreated == 0 || StoredBatches(db) == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "no batch was submitted");
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }

            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(TestContext.Current.CancellationToken);
            var runId = runIdLine!["run: ".Length..].Trim();

            server.BatchPollsToEnd = 0;
            var resumed = await KeelProcess.RunAsync(temp.Path, "eval", "--resume", runId, "--batch", "--batch-poll", "0.05", "--db", db, "--json");

            Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        }

        // Turn 1 was the batch submitted before the kill; only turn 2 was submitted after the restart.
        Assert.Equal([9, 9], server.BatchSizes);
        Assert.Equal(0, server.Counters.Requests);
    }

    private static int StoredBatches(string db)
    {
        if (!File.Exists(db)) return 0;
        try
        {
            using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM batch_requests";
            return Convert.ToInt32(cmd.ExecuteScalar());
        }
        catch (SqliteException)
        {
            return 0;
        }
    }
}
