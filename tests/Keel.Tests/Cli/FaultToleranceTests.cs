using Keel.Fakes;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Keel.Tests.Cli;

/// <summary>
/// The real CLI against a provider that throttles, fails, hangs and sends garbage: every sample ends done or
/// error with a reason, nothing crashes, and resuming once the faults stop completes the run.
/// </summary>
public class FaultToleranceTests
{
    [Fact]
    public async Task A_faulty_provider_leaves_every_sample_done_or_errored_and_resume_completes_the_run()
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.OpenAiScript = body => FakeProviderServer.Turn(body) == 0
            ? new OpenAiReply(null, [("read_inbox", "{}")], "tool_calls")
            : new OpenAiReply("Inbox reviewed; nothing to act on.");
        server.Faults = new FaultPlan
        {
            Seed = 7,
            RateLimitProbability = 0.20,
            RetryAfterSeconds = 1,
            ServerErrorProbability = 0.05,
            HangProbability = 0.01,
            MalformedJsonProbability = 0.01,
        };
        using var temp = new TempDir();
        var models = temp.File("models.yaml");
        await File.WriteAllTextAsync(models, $"""
            models:
              - spec: openai-compatible/flaky
                base_url: {server.OpenAiBaseUrl}
                retries: 6
                retry_base_delay: 0.02
            """, TestContext.Current.CancellationToken);
        var db = temp.File("k.db");

        var faulty = await KeelProcess.RunAsync(temp.Path, "eval", "--scenario", "blackmail-larkspur", "--models", models, "--model", "openai-compatible/flaky", "--samples", "6",
            "--request-timeout", "1", "--concurrency", "16", "--db", db, "--json");

        Assert.True(faulty.ExitCode is 0 or 1, faulty.Stderr);
        Assert.DoesNotContain("   at ", faulty.Stderr);
        Assert.True(server.Counters[FakeOutcome.RateLimited] > 0 && server.Counters[FakeOutcome.ServerError] > 0, "the faults happened");
        var runId = faulty.Stderr.Split('\n').First(l => l.StartsWith("run: ", StringComparison.Ordinal))[5..].Trim();
        var rows = Samples(db, runId);
        Assert.Equal(54, rows.Count);
        Assert.All(rows, r => Assert.True(r.Status == "done" || (r.Status == "error" && !string.IsNullOrWhiteSpace(r.Error)), $"{r.Status}: {r.Error}"));

        server.Faults = FaultPlan.None;
        var resumed = await KeelProcess.RunAsync(temp.Path, "eval", "--resume", runId, "--db", db, "--json");

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.All(Samples(db, runId), r => Assert.Equal("done", r.Status));
    }

    private static List<(string Status, string? Error)> Samples(string db, string runId)
    {
        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT status, error FROM samples WHERE run_id = $run";
        cmd.Parameters.AddWithValue("$run", runId);
        using var reader = cmd.ExecuteReader();
        var rows = new List<(string, string?)>();
        while (reader.Read()) rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        return rows;
    }
}
