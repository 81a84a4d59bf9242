using Keel.Agents;
using Keel.Evaluation;
using Keel.Grading;
using Keel.Grading.Judges;
using Keel.Store;
using Keel.Transcripts;
using Microsoft.Data.Sqlite;

namespace Keel.Tests.Store;

/// <summary>
/// What schema 3 computed for each sample, with its correlated subqueries on <c>verdicts</c> (the SQL of
/// <c>KeelStore.OutcomesAsync</c> and the viewer before schema 4, copied here), to check the schema 4 columns against;
/// and stores with verdicts of every shape the rule has to sort out.
/// </summary>
public static class FamilyVerdictOracle
{
    private const string Same = "v.run_id = s.run_id AND v.model = s.model AND v.condition_id = s.condition_id AND v.epoch = s.epoch";

    /// <summary>The schema 3 expression of a sample's family verdict under <paramref name="source"/> (the viewer's, as it was).</summary>
    public static string OldVerdict(Keel.Statistics.VerdictSource source) => source switch
    {
        Keel.Statistics.VerdictSource.Judge => $"(SELECT v.harmful FROM verdicts v WHERE {Same} AND v.grader_id = 'judge/' || s.family)",
        Keel.Statistics.VerdictSource.Combined => $"(SELECT v.harmful FROM verdicts v WHERE {Same} AND v.grader_id = 'combined/' || s.family)",
        _ => $"(SELECT v.harmful FROM verdicts v WHERE {Same} AND v.behaviour = s.family AND v.grader_id NOT LIKE 'judge/%' " +
             "AND v.grader_id NOT LIKE 'combined/%' ORDER BY v.grader_id LIMIT 1)",
    };

    /// <summary>One sample's stored columns and what the schema 3 subqueries give.</summary>
    public sealed record Row(SampleKey Key, bool Errored, (bool?, bool?, bool?) Columns, (bool?, bool?, bool?) Subqueries);

    /// <summary>Every sample of the store at <paramref name="db"/> with its columns and the subqueries' verdicts.</summary>
    public static List<Row> Read(string db)
    {
        using var connection = Cli.StoreProbe.Open(db);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"""
            SELECT s.model, s.condition_id, s.epoch, s.status, s.detector_harmful, s.judge_harmful, s.combined_harmful,
                {OldVerdict(Keel.Statistics.VerdictSource.Detector)}, {OldVerdict(Keel.Statistics.VerdictSource.Judge)}, {OldVerdict(Keel.Statistics.VerdictSource.Combined)}
            FROM samples s ORDER BY s.rowid
            """;
        using var reader = cmd.ExecuteReader();
        var rows = new List<Row>();
        bool? Flag(int i) => reader.IsDBNull(i) ? null : reader.GetInt64(i) == 1;
        while (reader.Read())
        {
            rows.Add(new Row(new SampleKey(reader.GetString(0), reader.GetString(1), reader.GetInt32(2)), reader.GetString(3) == "error",
                (Flag(4), Flag(5), Flag(6)), (Flag(7), Flag(8), Flag(9))));
        }

        return rows;
    }

    /// <summary>
    /// Asserts every sample's columns equal the subqueries' verdicts, and that the store is not trivially so: at least
    /// <paramref name="minimumDecided"/> samples with a decided detector verdict and, with <paramref name="judged"/>, a
    /// decided judge verdict.
    /// </summary>
    public static void AssertInSync(string db, int minimumDecided = 1, bool judged = false)
    {
        var rows = Read(db);
        Xunit.Assert.NotEmpty(rows);
        foreach (var row in rows) Xunit.Assert.True(row.Columns == row.Subqueries, $"{row.Key}: columns {row.Columns}, verdicts say {row.Subqueries}");
        Xunit.Assert.True(rows.Count(r => r.Columns.Item1 is not null) >= minimumDecided, "too few decided detector verdicts to show anything");
        if (judged) Xunit.Assert.Contains(rows, r => r.Columns.Item2 is not null && r.Columns.Item3 is not null);
    }

    /// <summary>The run's revision (schema 4).</summary>
    public static long Revision(string db, string runId)
    {
        using var connection = Cli.StoreProbe.Open(db);
        return Cli.StoreProbe.Scalar(connection, $"SELECT revision FROM runs WHERE id = '{runId}'");
    }

    /// <summary>
    /// Verdicts of every shape for a sample of <paramref name="family"/>: several detector-like graders (the first by id
    /// counts), a judge id in capitals (not the judge, and not a detector either: LIKE ignores ASCII case), judge and
    /// combined verdicts present, missing or undecided, draws, a dimension, and a verdict on another behaviour.
    /// </summary>
    public static Verdict[] Verdicts(Random random, string family)
    {
        bool? Pick() => random.Next(3) switch { 0 => true, 1 => false, _ => null };
        var verdicts = new List<Verdict> { new(family, Pick(), [], "d", $"detector/{family}", "1") };
        if (random.Next(3) == 0) verdicts.Add(new(family, Pick(), [], "a", $"aardvark/{family}", "1")); // sorts before detector/…
        if (random.Next(4) == 0) verdicts.Add(new(family, Pick(), [], "z", $"zz-check/{family}", "1"));
        if (random.Next(4) == 0) verdicts.Add(new(family, Pick(), [], "J", $"JUDGE/{family}", "1"));
        if (random.Next(4) == 0) verdicts.Add(new("other", Pick(), [], "o", "aaa/other", "1"));
        if (random.Next(4) != 0)
        {
            verdicts.Add(new(family, Pick(), [], "j", $"judge/{family}", "1", Confidence: 0.9));
            verdicts.Add(new(family, Pick(), [], "draw", $"judge/{family}/draw-1", "1"));
        }

        if (random.Next(4) != 0) verdicts.Add(new(family, Pick(), [], "c", $"combined/{family}", "1"));
        if (random.Next(3) == 0) verdicts.Add(new("dishonesty", Pick(), [], "h", "judge/dimension/dishonesty", "1"));
        return [.. verdicts];
    }

    /// <summary>A finished (or errored) sample of the mini suite's condition with the given verdicts.</summary>
    public static SampleResult Sample(string model, string condition, int epoch, string family, IReadOnlyList<Verdict> verdicts, bool errored = false, int tokens = 10) =>
        new(new SampleKey(model, condition, epoch), "bm", family, epoch % 2 == 0 ? "train" : "heldout", errored ? SampleStatus.Error : SampleStatus.Done,
            errored ? "TimeoutException: the provider did not answer" : null,
            new Transcript([new(0, "system", "s"), new(1, "assistant", $"reply {epoch}")], [], errored ? StopReason.Error : StopReason.Completed, new TokenUsage(tokens, epoch)),
            errored ? [] : verdicts, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, CostUsd: epoch % 5 == 0 ? null : 0.001m * epoch);

    /// <summary>A run of the mini suite (judged), created in <paramref name="store"/>.</summary>
    public static async Task<RunRecord> CreateRunAsync(KeelStore store, CancellationToken cancellationToken)
    {
        var config = new EvalConfig("mini", ["m/a", "m/b", "m/c"], 1, 1, new AgentOptions(), Judge: "openai/j",
            JudgeSettings: new JudgeSettings(new Keel.Models.EndpointConfig("openai/j"), 1, JudgeVote.Majority, []));
        var run = RunFactory.Create(config, Fixtures.Mini());
        await store.CreateRunAsync(run, cancellationToken);
        return run;
    }

    /// <summary>
    /// Turns a schema 4 store back into what schema 3 wrote: the same rows without the family verdict columns, the run
    /// revisions, the list indexes and the triggers.
    /// </summary>
    public static void DowngradeToSchema3(string db)
    {
        using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            DROP TRIGGER IF EXISTS samples_revision_insert; DROP TRIGGER samples_revision_update; DROP TRIGGER samples_revision_delete; DROP TRIGGER runs_revision_update;
            DROP INDEX samples_list; DROP INDEX samples_run;
            ALTER TABLE samples DROP COLUMN detector_harmful; ALTER TABLE samples DROP COLUMN judge_harmful; ALTER TABLE samples DROP COLUMN combined_harmful;
            ALTER TABLE runs DROP COLUMN revision;
            UPDATE meta SET value = '3' WHERE key = 'schema_version';
            """;
        cmd.ExecuteNonQuery();
    }
}
