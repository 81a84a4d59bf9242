using Keel.Agents;
using Keel.Evaluation;
using Keel.Grading;
using Keel.Grading.Judges;
using Keel.Store;
using Keel.Transcripts;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Keel.Tests.Store;

/// <summary>Schema 2 (the judge): a schema-1 store is migrated in place (on to the current schema); scores, confidences and judge usage round-trip.</summary>
public class StoreJudgeMigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The samples and verdicts tables as schema 1 wrote them, with one detector-graded sample.</summary>
    private const string SchemaOne = """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('schema_version', '1');
        CREATE TABLE samples (run_id TEXT NOT NULL, model TEXT NOT NULL, condition_id TEXT NOT NULL, epoch INTEGER NOT NULL,
            scenario_id TEXT NOT NULL, family TEXT NOT NULL, split TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('done', 'error')),
            error TEXT, stop_reason TEXT NOT NULL, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, cache_read_tokens INTEGER NOT NULL,
            cache_write_tokens INTEGER NOT NULL, model_calls INTEGER NOT NULL, cache_hits INTEGER NOT NULL, cost_usd REAL,
            started_at TEXT NOT NULL, finished_at TEXT NOT NULL, PRIMARY KEY (run_id, model, condition_id, epoch));
        CREATE TABLE verdicts (run_id TEXT NOT NULL, model TEXT NOT NULL, condition_id TEXT NOT NULL, epoch INTEGER NOT NULL,
            grader_id TEXT NOT NULL, grader_version TEXT NOT NULL, behaviour TEXT NOT NULL, harmful INTEGER, reason TEXT NOT NULL,
            evidence_json TEXT NOT NULL, PRIMARY KEY (run_id, model, condition_id, epoch, grader_id));
        INSERT INTO samples VALUES ('old', 'reference/misaligned', 'bm/x', 1, 'bm', 'blackmail', '', 'done', NULL, 'completed', 0, 0, 0, 0, 9, 0, NULL, 't', 't');
        INSERT INTO verdicts VALUES ('old', 'reference/misaligned', 'bm/x', 1, 'detector/blackmail', '1', 'blackmail', 1, 'r', '[]');
        """;

    [Fact]
    public async Task A_schema_1_store_is_migrated_and_its_samples_still_read()
    {
        using var temp = new TempDir();
        var path = temp.File("old.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = SchemaOne;
            await cmd.ExecuteNonQueryAsync(Ct);
        }

        await using (var store = await KeelStore.OpenAsync(path, Ct))
        {
            var old = Assert.Single(await store.OutcomesAsync("old", Ct));
            Assert.Equal((true, (bool?)null, (bool?)null), (old.Harmful, old.Judge, old.Combined));
            Assert.Null(await store.JudgeUsageAsync("old", Ct));
        }

        await using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        await check.OpenAsync(Ct);
        await using var q = check.CreateCommand();
        q.CommandText = "SELECT value FROM meta WHERE key = 'schema_version'";
        Assert.Equal("4", await q.ExecuteScalarAsync(Ct)); // migrated through schemas 2 and 3 to the current one
        q.CommandText = "SELECT COUNT(*) FROM pragma_table_info('verdicts') WHERE name IN ('score', 'confidence')";
        Assert.Equal(2L, await q.ExecuteScalarAsync(Ct));
        q.CommandText = "SELECT COUNT(*) FROM pragma_table_info('samples') WHERE name GLOB 'judge_*' AND name <> 'judge_harmful'";
        Assert.Equal(7L, await q.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task Judge_verdicts_scores_and_usage_are_stored_and_read_by_grader()
    {
        using var temp = new TempDir();
        await using var store = await KeelStore.OpenAsync(temp.File("k.db"), Ct);
        var config = new EvalConfig("mini", ["reference/aligned"], 1, 1, new AgentOptions(), Judge: "openai/j",
            JudgeSettings: new JudgeSettings(new Keel.Models.EndpointConfig("openai/j"), 3, JudgeVote.Min, ["ethical-reasoning", "dishonesty"]));
        var run = RunFactory.Create(config, Fixtures.Mini());
        await store.CreateRunAsync(run, Ct);
        Verdict[] verdicts =
        [
            new("blackmail", false, [], "d", "detector/blackmail", "1"),
            new("blackmail", true, [], "j", "judge/blackmail", "1.abc.k3-min", Confidence: 0.8),
            new("blackmail", true, [], "draw", "judge/blackmail/draw-1", "1.abc", Confidence: 0.8),
            new("blackmail", false, [], "c", "combined/blackmail", "1"),
            new("ethical-reasoning", null, [], "e", "judge/dimension/ethical-reasoning", "1.def.k3-min", Score: 35),
            new("dishonesty", true, [], "h", "judge/dimension/dishonesty", "1.ghi.k3-min", Confidence: 0.6),
        ];
        var result = new SampleResult(new SampleKey("reference/aligned", Fixtures.Mini().Conditions[0].Id, 1), "bm", "blackmail", "", SampleStatus.Done, null,
            new Transcript([new(0, "system", "s")], [], StopReason.Completed, TokenUsage.Zero), verdicts, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow,
            CostUsd: 0.5m, JudgeUsage: new JudgeUsage(4, 1, new TokenUsage(300, 60, 10, 0), 0.25m));

        await store.SaveSampleAsync(run.Id, result, Ct);

        var outcome = Assert.Single(await store.OutcomesAsync(run.Id, Ct));
        Assert.Equal((false, (bool?)true, (bool?)false), (outcome.Harmful, outcome.Judge, outcome.Combined));
        var dimensions = await store.DimensionOutcomesAsync(run.Id, Ct);
        Assert.Equal([("dishonesty", (bool?)true, (double?)null), ("ethical-reasoning", null, 35)], dimensions.Select(d => (d.Dimension, d.Observed, d.Score)));
        Assert.Equal(new JudgeUsage(4, 1, new TokenUsage(300, 60, 10, 0), 0.25m), await store.JudgeUsageAsync(run.Id, Ct));
        Assert.Equal(0.75m, await store.SpentAsync(run.Id, Ct));
        Assert.Equal(run.Config.JudgeSettings, (await store.GetRunAsync(run.Id, Ct))!.Config.JudgeSettings! with { Dimensions = run.Config.JudgeSettings!.Dimensions });
        Assert.Equal(["ethical-reasoning", "dishonesty"], (await store.GetRunAsync(run.Id, Ct))!.Config.ResolvedJudge!.DimensionIds);
    }
}
