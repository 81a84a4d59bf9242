using System.Diagnostics;
using System.Text.Json;
using Keel.Fakes;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Keel.Tests.Cli;

/// <summary>
/// A real <c>keel eval</c> child process against a slow fake provider, killed mid-run and resumed:
/// the finished run has exactly the planned samples, none lost, none doubled.
/// </summary>
public class KillAndResumeTests
{
    private const int Conditions = 9; // the blackmail-larkspur setting of core
    private const int Samples = 4;

    private static Task<FakeOpenAiServer> SlowServerAsync() => FakeOpenAiServer.StartAsync(
        body => FakeOpenAiServer.Turn(body) == 0 ? new(null, [("read_inbox", "{}")], "tool_calls") : new("Nothing to do."),
        TimeSpan.FromMilliseconds(60));

    private static string[] EvalArgs(FakeOpenAiServer server, string db) =>
        ["eval", "--suite", "core", "--scenario", "blackmail-larkspur", "--model", "openai-compatible/fake", "--base-url", server.BaseUrl,
         "--samples", Samples.ToString(), "--seed", "1", "--concurrency", "2", "--db", db];

    [Fact]
    public async Task A_run_killed_with_sigkill_resumes_to_exactly_the_planned_samples()
    {
        using var temp = new TempDir();
        var db = temp.File("keel.db");
        await using var server = await SlowServerAsync();

        using var child = KeelProcess.Start(temp.Path, EvalArgs(server, db));
        var runId = await ReadRunIdAsync(child);
        await WaitUntilAsync(() => CountSamples(db) >= 6, child);
        child.Kill(entireProcessTree: true);
        await child.WaitForExitAsync(TestContext.Current.CancellationToken);
        var before = CountSamples(db);
        Assert.InRange(before, 6, Conditions * Samples - 1);

        var resumed = await KeelProcess.RunAsync(temp.Path, "eval", "--resume", runId, "--db", db, "--json");

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        AssertComplete(db, runId, resumed.Stdout, before);
    }

    [Fact]
    public async Task Interrupting_with_ctrl_c_stops_cleanly_and_prints_the_resume_command()
    {
        using var temp = new TempDir();
        var db = temp.File("keel.db");
        await using var server = await SlowServerAsync();

        using var child = KeelProcess.Start(temp.Path, EvalArgs(server, db));
        var stderr = new System.Text.StringBuilder();
        var runId = await ReadRunIdAsync(child, stderr);
        await WaitUntilAsync(() => CountSamples(db) >= 4, child);
        Assert.Equal(0, SendSignal(child.Id, SigInt));
        stderr.Append(await child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
        await child.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, child.ExitCode);
        Assert.Contains($"keel eval --resume {runId}", stderr.ToString());
        Assert.DoesNotContain("   at ", stderr.ToString());
        var before = CountSamples(db);
        Assert.True(before < Conditions * Samples, "the run stopped before finishing");

        var resumed = await KeelProcess.RunAsync(temp.Path, "eval", "--resume", runId, "--db", db, "--json");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        AssertComplete(db, runId, resumed.Stdout, before);
    }

    private const int SigInt = 2;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private static void AssertComplete(string db, string runId, string json, int storedBefore)
    {
        using var connection = StoreProbe.Open(db);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*), COUNT(DISTINCT model || '|' || condition_id || '|' || epoch), SUM(status = 'done') FROM samples WHERE run_id = $run";
        cmd.Parameters.AddWithValue("$run", runId);
        using var reader = cmd.ExecuteReader();
        reader.Read();
        Assert.Equal(Conditions * Samples, reader.GetInt32(0));
        Assert.Equal(Conditions * Samples, reader.GetInt32(1));
        Assert.Equal(Conditions * Samples, reader.GetInt32(2));
        Assert.Equal((long)Conditions * Samples, StoreProbe.Scalar(connection, "SELECT COUNT(*) FROM transcripts"));
        Assert.Equal((long)Conditions * Samples, StoreProbe.Scalar(connection, "SELECT COUNT(*) FROM verdicts"));

        // The JSON report covers the whole run, including the samples finished before the kill.
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(runId, doc.RootElement.GetProperty("run_id").GetString());
        var cells = doc.RootElement.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(Conditions, cells.Count);
        Assert.All(cells, c => Assert.Equal(Samples, c.GetProperty("n").GetInt32()));
        Assert.True(storedBefore > 0);
    }

    private static async Task<string> ReadRunIdAsync(Process child, System.Text.StringBuilder? log = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await child.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            log?.AppendLine(line);
            if (line.StartsWith("run: ", StringComparison.Ordinal)) return line["run: ".Length..].Trim();
        }

        throw new InvalidOperationException($"keel exited without printing its run id: {log}");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Process child)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.False(child.HasExited, "keel finished before it could be interrupted");
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for samples");
            await Task.Delay(20);
        }
    }

    private static int CountSamples(string db)
    {
        if (!File.Exists(db)) return 0;
        try
        {
            using var connection = StoreProbe.Open(db);
            return (int)StoreProbe.Scalar(connection, "SELECT COUNT(*) FROM samples");
        }
        catch (SqliteException)
        {
            return 0; // Schema not created yet.
        }
    }
}
