using Keel.Agents;
using Keel.Evaluation;
using Keel.Grading;
using Keel.Grading.Judges;
using Keel.Models;
using Keel.Store;
using Keel.Transcripts;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Keel.Tests.Store;

/// <summary>Schema 3 (regrade passes): migration from schema 2, verdicts replaced per sample atomically, passes recorded.</summary>
public class StoreGradingsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The verdicts table as schema 2 wrote it, with one detector verdict.</summary>
    private const string SchemaTwo = """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('schema_version', '2');
        CREATE TABLE verdicts (run_id TEXT NOT NULL, model TEXT NOT NULL, condition_id TEXT NOT NULL, epoch INTEGER NOT NULL,
            grader_id TEXT NOT NULL, grader_version TEXT NOT NULL, behaviour TEXT NOT NULL, harmful INTEGER, reason TEXT NOT NULL,
            evidence_json TEXT NOT NULL, score REAL, confidence REAL, PRIMARY KEY (run_id, model, condition_id, epoch, grader_id));
        INSERT INTO verdicts VALUES ('old', 'reference/misaligned', 'bm/x', 1, 'detector/blackmail', '1', 'blackmail', 1, 'r', '[]', NULL, NULL);
        """;

    [Fact]
    public async Task A_schema_2_store_is_migrated_and_its_verdicts_keep_no_pass()
    {
        using var temp = new TempDir();
        var path = temp.File("old.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = SchemaTwo;
            await cmd.ExecuteNonQueryAsync(Ct);
        }

        await using (var store = await KeelStore.OpenAsync(path, Ct))
        {
            Assert.Empty(await store.GradingsAsync("old", Ct));
        }

        await using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        await check.OpenAsync(Ct);
        await using var q = check.CreateCommand();
        q.CommandText = "SELECT value FROM meta WHERE key = 'schema_version'";
        Assert.Equal("4", await q.ExecuteScalarAsync(Ct)); // on to the current schema
        q.CommandText = "SELECT COUNT(*) FROM verdicts WHERE grader_id = 'detector/blackmail' AND grading_id IS NULL";
        Assert.Equal(1L, await q.ExecuteScalarAsync(Ct));
        q.CommandText = "SELECT COUNT(*) FROM pragma_table_info('gradings')";
        Assert.True((long)(await q.ExecuteScalarAsync(Ct))! > 10);
    }

    [Fact]
    public async Task A_pass_replaces_a_samples_verdicts_records_its_judge_and_usage_and_counts_its_cost()
    {
        using var temp = new TempDir();
        await using var store = await KeelStore.OpenAsync(temp.File("k.db"), Ct);
        var (run, key) = await StoreSampleAsync(store, [Detector(true), new("blackmail", true, [], "j", "judge/blackmail", "1.abc.k1-majority")]);
        var judge = new JudgeSettings(new EndpointConfig("openai/j", Prices: new Prices(1, 2, 1, 1)), 3, JudgeVote.Min);

        var id = await store.BeginGradingAsync(run.Id, run.Config with { Judge = "openai/j", JudgeSettings = judge }, null, "newhash", Ct);
        await store.SaveRegradedSampleAsync(run.Id, id, key, [Detector(false), new("blackmail", false, [], "j2", "judge/blackmail", "1.def.k3-min"),
            new("blackmail", false, [], "d1", "judge/blackmail/draw-1", "1.def")], new JudgeUsage(3, 1, new TokenUsage(200, 40), 0.125m), Ct);
        var unfinished = Assert.Single(await store.GradingsAsync(run.Id, Ct));
        await store.FinishGradingAsync(id, Ct);

        Assert.Null(unfinished.FinishedAt);
        Assert.Null(unfinished.Graders);
        var outcome = Assert.Single(await store.OutcomesAsync(run.Id, Ct));
        Assert.Equal((false, (bool?)false), (outcome.Harmful, outcome.Judge));
        var pass = Assert.Single(await store.GradingsAsync(run.Id, Ct));
        Assert.NotNull(pass.FinishedAt);
        Assert.Equal(("newhash", 1, RunFactory.KeelVersion), (pass.SuiteHash, pass.Samples, pass.KeelVersion));
        Assert.Equal(("openai/j", 3, JudgeVote.Min), (pass.Judge!.Endpoint.Spec, pass.Judge.Samples, pass.Judge.Vote));
        Assert.Null(pass.PreviousJudge);
        Assert.Equal([new GraderCount("detector/blackmail", "2", 1), new GraderCount("judge/blackmail", "1.def.k3-min", 1)], pass.Graders!);
        Assert.Equal(new JudgeUsage(3, 1, new TokenUsage(200, 40), 0.125m), pass.JudgeUsage);
        // The run now reads with the pass's judge, and what the pass spent counts towards --max-cost.
        Assert.Equal(judge.Samples, (await store.GetRunAsync(run.Id, Ct))!.Config.ResolvedJudge!.Samples);
        Assert.Equal(0.5m + 0.125m, await store.SpentAsync(run.Id, Ct));
    }

    [Fact]
    public async Task A_sample_whose_new_verdicts_fail_to_write_keeps_its_old_ones_whole()
    {
        using var temp = new TempDir();
        await using var store = await KeelStore.OpenAsync(temp.File("k.db"), Ct);
        var (run, key) = await StoreSampleAsync(store, [Detector(true), new("blackmail", true, [], "j", "judge/blackmail", "1")]);
        var id = await store.BeginGradingAsync(run.Id, run.Config, null, run.SuiteHash, Ct);

        // Two verdicts of one grader break the primary key halfway through the sample's writes.
        await Assert.ThrowsAsync<SqliteException>(() => store.SaveRegradedSampleAsync(run.Id, id, key, [Detector(false), Detector(false)], null, Ct));

        var outcome = Assert.Single(await store.OutcomesAsync(run.Id, Ct));
        Assert.Equal((true, (bool?)true), (outcome.Harmful, outcome.Judge));
        Assert.Equal(0, Assert.Single(await store.GradingsAsync(run.Id, Ct)).Samples);
    }

    private static Verdict Detector(bool harmful) => new("blackmail", harmful, [], "d", "detector/blackmail", "2");

    private static async Task<(RunRecord Run, SampleKey Key)> StoreSampleAsync(KeelStore store, Verdict[] verdicts)
    {
        var run = RunFactory.Create(new EvalConfig("mini", ["reference/aligned"], 1, 1, new AgentOptions()), Fixtures.Mini());
        await store.CreateRunAsync(run, Ct);
        var key = new SampleKey("reference/aligned", Fixtures.Mini().Conditions[0].Id, 1);
        await store.SaveSampleAsync(run.Id, new SampleResult(key, "bm", "blackmail", "", SampleStatus.Done, null,
            new Transcript([new(0, "system", "s")], [], StopReason.Completed, TokenUsage.Zero), verdicts, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow,
            CostUsd: 0.5m), Ct);
        return (run, key);
    }
}
