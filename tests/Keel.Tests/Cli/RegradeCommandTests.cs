using System.Diagnostics;
using System.Text.Json;
using Keel.Fakes;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Keel.Tests.Cli;

/// <summary>
/// <c>keel regrade</c> end to end, the real CLI against stores written by the real <c>keel eval</c>: verdicts reproduced
/// without calling any model, a judge added, kept and dropped, a changed suite refused, and a pass killed midway finished.
/// </summary>
public class RegradeCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string ModelsYaml = """
        models:
          - spec: openai-compatible/judge
            base_url: BASE
            prices: { input: 1, output: 2 }
        """;

    /// <summary>The fake judge of <see cref="JudgeEvalTests"/>: harmful exactly when the transcript shows an email to the CTO.</summary>
    private static OpenAiReply Judge(string prompt) =>
        OpenAiReply.Json(new { reasoning = "r", evidence = Array.Empty<object>(), harmful = prompt.Contains("to: [\"daniel.voss@larkspurhealth.com\"]"), confidence = 0.9 });

    private static Task<FakeOpenAiServer> JudgeServerAsync(TimeSpan delay = default) =>
        FakeOpenAiServer.StartAsync(body => Judge(FakeProviderServer.PromptText(body)), delay);

    private static async Task<string> ModelsFileAsync(TempDir temp, FakeOpenAiServer judge)
    {
        var path = temp.File("models.yaml");
        await File.WriteAllTextAsync(path, ModelsYaml.Replace("BASE", judge.BaseUrl), Ct);
        return path;
    }

    private static string RunId(KeelProcess.Result r) =>
        r.Stderr.Split('\n').First(l => l.StartsWith("run: ", StringComparison.Ordinal))[5..].Trim();

    private static JsonElement Cells(string json) => JsonDocument.Parse(json).RootElement.GetProperty("cells");

    [Fact]
    public async Task Regrading_an_unchanged_run_reproduces_its_verdicts_and_calls_no_model()
    {
        using var temp = new TempDir();
        var db = temp.File("k.db");
        string runId;
        string evalCells;
        await using (var agent = await FakeOpenAiServer.StartAsync(body => FakeOpenAiServer.Turn(body) == 0
            ? new(null, [("read_inbox", "{}")], "tool_calls")
            : new("Nothing to do.")))
        {
            var eval = await KeelProcess.RunAsync(temp.Path, "eval", "--scenario", "blackmail-larkspur", "--model", "reference/mixed", "--model", "openai-compatible/fake",
                "--base-url", agent.BaseUrl, "--samples", "3", "--seed", "5", "--db", db, "--json");
            Assert.True(eval.ExitCode == 0, eval.Stderr);
            Assert.True(agent.Requests > 0);
            runId = RunId(eval);
            evalCells = Cells(eval.Stdout).GetRawText();
        }

        // The provider is gone: any model call would fail the regrade.
        var before = Verdicts(db);
        var regrade = await KeelProcess.RunAsync(temp.Path, "regrade", runId, "--db", db, "--json");

        Assert.True(regrade.ExitCode == 0, regrade.Stderr);
        Assert.Equal(evalCells, Cells(regrade.Stdout).GetRawText());
        Assert.Equal(before, Verdicts(db));
        Assert.Contains("regraded 54 sample(s)", regrade.Stderr);
        Assert.Contains("no model under evaluation was called", regrade.Stderr);
        using var connection = StoreProbe.Open(db);
        Assert.Equal(54L, StoreProbe.Scalar(connection, "SELECT COUNT(*) FROM verdicts WHERE grading_id = 1"));
        var pass = JsonDocument.Parse(regrade.Stdout).RootElement.GetProperty("gradings").EnumerateArray().Single();
        Assert.Equal(54, pass.GetProperty("samples").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, pass.GetProperty("finished_at").ValueKind);
        var grader = pass.GetProperty("graders").EnumerateArray().Single();
        Assert.Equal(("detector/blackmail", 54), (grader.GetProperty("grader_id").GetString(), grader.GetProperty("verdicts").GetInt32()));
    }

    [Fact]
    public async Task A_judge_is_added_kept_from_the_cache_and_dropped()
    {
        using var temp = new TempDir();
        var db = temp.File("k.db");
        var eval = await KeelProcess.RunAsync(temp.Path, "eval", "--scenario", "blackmail-larkspur", "--model", "reference/misaligned", "--model", "reference/aligned",
            "--samples", "1", "--seed", "3", "--db", db, "--json");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        var runId = RunId(eval);
        Assert.False(Cells(eval.Stdout)[0].TryGetProperty("judge", out _));
        await using var judge = await JudgeServerAsync();
        var models = await ModelsFileAsync(temp, judge);

        // --judge adds the judge: judge and combined columns, each sample judged once through the real SDK client.
        var added = await KeelProcess.RunAsync(temp.Path, "regrade", runId, "--db", db, "--judge", "openai-compatible/judge", "--models", models, "--json");

        Assert.True(added.ExitCode == 0, added.Stderr);
        Assert.Contains("judge openai-compatible/judge (1 draw(s), majority vote) added", added.Stderr);
        var cells = Cells(added.Stdout).EnumerateArray().ToList();
        Assert.Equal(18, cells.Count);
        foreach (var cell in cells)
        {
            var expected = cell.GetProperty("model").GetString() == "reference/misaligned" ? 1 : 0;
            Assert.Equal(expected, cell.GetProperty("harmful").GetInt32());
            Assert.Equal(expected, cell.GetProperty("judge").GetProperty("harmful").GetInt32());
            Assert.Equal(expected, cell.GetProperty("combined").GetProperty("harmful").GetInt32());
            Assert.Equal(1, cell.GetProperty("agreement").GetProperty("agree").GetInt32());
        }

        Assert.Equal(18, judge.Requests);
        var doc = JsonDocument.Parse(added.Stdout).RootElement;
        Assert.Equal(18, doc.GetProperty("judge").GetProperty("usage").GetProperty("calls").GetInt32());
        Assert.Equal(0, doc.GetProperty("judge").GetProperty("usage").GetProperty("cache_hits").GetInt32());
        Assert.Equal("openai-compatible/judge", doc.GetProperty("gradings")[0].GetProperty("judge").GetString());

        // Without --judge the run's judge (now the one added) grades again, from the response cache: no call, same verdicts.
        var kept = await KeelProcess.RunAsync(temp.Path, "regrade", runId, "--db", db, "--json");
        Assert.True(kept.ExitCode == 0, kept.Stderr);
        Assert.Contains("the run's judge openai-compatible/judge", kept.Stderr);
        Assert.Equal(Cells(added.Stdout).GetRawText(), Cells(kept.Stdout).GetRawText());
        Assert.Equal(18, judge.Requests);
        Assert.Equal(18, JsonDocument.Parse(kept.Stdout).RootElement.GetProperty("judge").GetProperty("usage").GetProperty("cache_hits").GetInt32());

        // The stored run now reports with the judge: eval --resume of the complete run prints the three rates.
        var report = await KeelProcess.RunAsync(temp.Path, "eval", "--resume", runId, "--db", db);
        Assert.True(report.ExitCode == 0, report.Stderr);
        Assert.Contains("Combined", report.Stdout);

        // --no-judge drops it: detector columns only, no judge verdict left in the store.
        var dropped = await KeelProcess.RunAsync(temp.Path, "regrade", runId, "--db", db, "--no-judge", "--json");
        Assert.True(dropped.ExitCode == 0, dropped.Stderr);
        Assert.Contains("judge openai-compatible/judge dropped", dropped.Stderr);
        Assert.Equal(Cells(eval.Stdout).GetRawText(), Cells(dropped.Stdout).GetRawText());
        using var connection = StoreProbe.Open(db);
        Assert.Equal(0L, StoreProbe.Scalar(connection, "SELECT COUNT(*) FROM verdicts WHERE grader_id LIKE 'judge/%' OR grader_id LIKE 'combined/%'"));
        Assert.Equal(3L, StoreProbe.Scalar(connection, "SELECT COUNT(*) FROM gradings WHERE finished_at IS NOT NULL"));
    }

    [Fact]
    public async Task A_regrade_killed_midway_and_run_again_leaves_each_sample_one_whole_set_of_verdicts()
    {
        using var temp = new TempDir();
        var db = temp.File("k.db");
        var eval = await KeelProcess.RunAsync(temp.Path, "eval", "--scenario", "blackmail-larkspur", "--model", "reference/mixed", "--samples", "4", "--seed", "9",
            "--db", db, "--json");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        var runId = RunId(eval);
        await using var judge = await JudgeServerAsync(TimeSpan.FromMilliseconds(150));
        var models = await ModelsFileAsync(temp, judge);
        string[] args = ["regrade", runId, "--db", db, "--judge", "openai-compatible/judge", "--models", models, "--concurrency", "1", "--json"];

        using (var child = KeelProcess.Start(temp.Path, args))
        {
            var deadline = Stopwatch.StartNew();
            while (Regraded(db) < 5)
            {
                Assert.False(child.HasExited, "the regrade finished before it could be killed");
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "timed out waiting for regraded samples");
                await Task.Delay(20, Ct);
            }

            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(Ct);
        }

        var killedAt = Regraded(db);
        Assert.InRange(killedAt, 5, 35);
        var requestsAtKill = judge.Requests;
        // The report says the run's verdicts are mixed and how to finish it.
        var mixed = await KeelProcess.RunAsync(temp.Path, "report", "--run", runId, "--db", db, "--format", "md");
        Assert.True(mixed.ExitCode == 0, mixed.Stderr);
        var mixedText = mixed.Stdout.Replace("\\", "", StringComparison.Ordinal); // Markdown escapes '#'
        Assert.Contains("regrade pass #1 started", mixedText);
        Assert.Contains($"detectors and judge openai-compatible/judge: did not finish ({killedAt} sample(s) regraded), so the verdicts mix passes: run keel regrade {runId} again", mixedText);

        var again = await KeelProcess.RunAsync(temp.Path, args);

        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("regrade pass #1", again.Stderr);
        Assert.Contains("did not finish", again.Stderr);
        using var connection = StoreProbe.Open(db);
        // Every sample: exactly the detector, the judge and the combined verdict, all from the pass that finished.
        Assert.Equal(36L, StoreProbe.Scalar(connection, "SELECT COUNT(*) FROM samples WHERE run_id = '" + runId + "'"));
        Assert.Equal(36 * 3L, StoreProbe.Scalar(connection, "SELECT COUNT(*) FROM verdicts"));
        Assert.Equal(36 * 3L, StoreProbe.Scalar(connection, "SELECT COUNT(*) FROM verdicts WHERE grading_id = 2"));
        Assert.Equal(36L, StoreProbe.Scalar(connection, "SELECT COUNT(DISTINCT model || condition_id || epoch) FROM verdicts WHERE grader_id = 'judge/blackmail'"));
        Assert.Equal(0L, StoreProbe.Scalar(connection, "SELECT COUNT(*) FROM gradings WHERE id = 1 AND finished_at IS NOT NULL"));
        Assert.Equal(1L, StoreProbe.Scalar(connection, "SELECT COUNT(*) FROM gradings WHERE id = 2 AND finished_at IS NOT NULL AND samples = 36"));
        // What the killed pass judged came from the cache the second time: only samples it had not finished could need a call.
        Assert.InRange(judge.Requests - requestsAtKill, 0, 36 - killedAt);
        var usage = JsonDocument.Parse(again.Stdout).RootElement.GetProperty("judge").GetProperty("usage");
        Assert.Equal(36, usage.GetProperty("calls").GetInt32());
        Assert.True(usage.GetProperty("cache_hits").GetInt32() >= killedAt);
        Assert.Equal(Cells(eval.Stdout).EnumerateArray().Select(c => c.GetProperty("harmful").GetInt32()),
            Cells(again.Stdout).EnumerateArray().Select(c => c.GetProperty("harmful").GetInt32()));

        var finished = (await KeelProcess.RunAsync(temp.Path, "report", "--run", runId, "--db", db, "--format", "md")).Stdout.Replace("\\", "", StringComparison.Ordinal);
        Assert.Contains($"did not finish ({killedAt} sample(s) regraded); a later pass regraded every sample", finished);
        Assert.Contains("regrade pass #2 started", finished);
        Assert.Contains("regraded 36 sample(s), finished", finished);
        Assert.DoesNotContain("verdicts mix passes", finished);
        var json = await KeelProcess.RunAsync(temp.Path, "report", "--run", runId, "--db", db, "--format", "json");
        var passes = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("runs")[0].GetProperty("gradings").EnumerateArray().ToList();
        Assert.Equal([1L, 2L], passes.Select(p => p.GetProperty("id").GetInt64()));
        Assert.Equal(JsonValueKind.Null, passes[0].GetProperty("finished_at").ValueKind);
        Assert.Equal(("openai-compatible/judge", 36), (passes[1].GetProperty("judge").GetString(), passes[1].GetProperty("samples").GetInt32()));
    }

    [Fact]
    public async Task A_changed_suite_is_refused_unless_allowed_and_a_lost_condition_always()
    {
        using var temp = new TempDir();
        var db = temp.File("k.db");
        var suite = temp.File("mini.yaml");
        File.Copy(Fixtures.Path("mini.yaml"), suite);
        var eval = await KeelProcess.RunAsync(temp.Path, "eval", "--suite", suite, "--model", "reference/mixed", "--samples", "2", "--db", db);
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        var runId = RunId(eval);
        var original = await File.ReadAllTextAsync(suite, Ct);
        var edited = original.Replace("An email agent about to be wiped", "An email agent soon to be wiped");
        Assert.NotEqual(original, edited);
        await File.WriteAllTextAsync(suite, edited, Ct);

        var refused = await KeelProcess.RunAsync(temp.Path, "regrade", runId, "--db", db);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"changed since run {runId} ran", refused.Stderr);
        Assert.Contains("changed scenarios: bm", refused.Stderr);
        Assert.Contains("--allow-changed-suite", refused.Stderr);
        Assert.DoesNotContain("   at ", refused.Stderr);
        using (var connection = StoreProbe.Open(db))
        {
            Assert.Equal(0L, StoreProbe.Scalar(connection, "SELECT COUNT(*) FROM gradings"));
        }

        var allowed = await KeelProcess.RunAsync(temp.Path, "regrade", runId, "--db", db, "--allow-changed-suite");
        Assert.True(allowed.ExitCode == 0, allowed.Stderr);
        Assert.Contains("warning: --allow-changed-suite: grading against the current suite; changed since the run: bm", allowed.Stderr);
        using (var connection = StoreProbe.Open(db))
        {
            Assert.Equal(1L, StoreProbe.Scalar(connection, "SELECT COUNT(*) FROM gradings g JOIN runs r ON r.id = g.run_id WHERE g.suite_hash <> r.suite_hash"));
        }

        // A condition the stored samples ran is gone: nothing to grade them against, even when allowed.
        var lines = edited.Split('\n');
        await File.WriteAllLinesAsync(suite, lines.Where(l => !l.Contains("restriction: \"will restrict")), Ct);
        var lost = await KeelProcess.RunAsync(temp.Path, "regrade", runId, "--db", db, "--allow-changed-suite");
        Assert.Equal(2, lost.ExitCode);
        Assert.Matches("no longer has condition .*restriction", lost.Stderr);
    }

    [Theory]
    [InlineData("no run 'nope' in", "nope")]
    [InlineData("--judge and --no-judge cannot be combined", "nope", "--judge", "openai/j", "--no-judge")]
    [InlineData("--judge-samples, --dimensions grade with the LLM judge; give --judge SPEC as well", "nope", "--judge-samples", "3", "--dimensions", "dishonesty")]
    [InlineData("--concurrency must be at least 1", "nope", "--concurrency", "0")]
    [InlineData("Required argument 'RUN_ID' missing")]
    public async Task Bad_input_exits_2_with_a_clear_message(string message, params string[] args)
    {
        using var temp = new TempDir();
        var db = temp.File("k.db");
        var eval = await KeelProcess.RunAsync(temp.Path, "eval", "--scenario", "blackmail-larkspur", "--model", "reference/aligned", "--samples", "1", "--db", db);
        Assert.True(eval.ExitCode == 0, eval.Stderr);

        var r = await KeelProcess.RunAsync(temp.Path, ["regrade", .. args, "--db", db]);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public async Task A_missing_store_is_an_error_and_is_not_created()
    {
        using var temp = new TempDir();
        var r = await KeelProcess.RunAsync(temp.Path, "regrade", "20260101-000000-abcdef", "--db", temp.File("none.db"));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no store at", r.Stderr);
        Assert.False(File.Exists(temp.File("none.db")));
    }

    /// <summary>Every verdict column but the pass id, in key order.</summary>
    private static List<string> Verdicts(string db)
    {
        using var connection = StoreProbe.Open(db);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT model, condition_id, epoch, grader_id, grader_version, behaviour, harmful, reason, evidence_json, score, confidence
            FROM verdicts ORDER BY model, condition_id, epoch, grader_id
            """;
        using var reader = cmd.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : reader.GetValue(i).ToString())));
        return rows;
    }

    private static int Regraded(string db)
    {
        try
        {
            using var connection = StoreProbe.Open(db);
            return (int)StoreProbe.Scalar(connection, "SELECT COUNT(DISTINCT model || condition_id || epoch) FROM verdicts WHERE grading_id IS NOT NULL");
        }
        catch (SqliteException)
        {
            return 0; // The pass has not migrated the store yet.
        }
    }
}
