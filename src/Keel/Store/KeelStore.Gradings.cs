using System.Globalization;
using System.Text.Json;
using Keel.Evaluation;
using Keel.Grading;
using Keel.Grading.Judges;
using Keel.Transcripts;
using Microsoft.Data.Sqlite;

namespace Keel.Store;

/// <summary>
/// Regrade passes (<c>keel regrade</c>): each pass has a row in <c>gradings</c>; the verdicts it writes carry its id
/// (<c>verdicts.grading_id</c>). A sample's verdicts are replaced inside one transaction, so a pass killed at any
/// moment leaves every sample with one whole set of verdicts, the old one or the new one.
/// </summary>
public sealed partial class KeelStore
{
    /// <summary>
    /// Starts a regrade pass of <paramref name="runId"/>: records it and stores <paramref name="config"/> (the run's config with
    /// the judge the pass grades with) as the run's config, in one transaction. Returns the pass's id.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="config">The run's config, its judge replaced by the one this pass grades with.</param>
    /// <param name="previousJudge">The judge the run was graded with before (recorded with the pass).</param>
    /// <param name="suiteHash">The hash of the suite the pass grades against.</param>
    /// <param name="cancellationToken">Cancels before the transaction commits.</param>
    public async Task<long> BeginGradingAsync(string runId, EvalConfig config, JudgeSettings? previousJudge, string suiteHash,
        CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            long id;
            await using (var insert = Command("""
                INSERT INTO gradings(run_id, started_at, keel_version, suite_hash, judge_json, previous_judge_json)
                VALUES ($run, $at, $version, $suiteHash, $judge, $previous) RETURNING id
                """,
                ("$run", runId), ("$at", DateTimeOffset.UtcNow.ToString("O")), ("$version", RunFactory.KeelVersion), ("$suiteHash", suiteHash),
                ("$judge", JudgeJson(config.ResolvedJudge)), ("$previous", JudgeJson(previousJudge))))
            {
                insert.Transaction = tx;
                id = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }

            await using (var update = Command("UPDATE runs SET config_json = $config WHERE id = $run",
                ("$run", runId), ("$config", JsonSerializer.Serialize(config, TranscriptJson.Options))))
            {
                update.Transaction = tx;
                if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1) throw new InvalidOperationException($"no run '{runId}'");
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return id;
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Replaces every verdict of one stored sample with <paramref name="verdicts"/> (tagged with the pass), recomputes the
    /// sample's family verdict columns from them, and adds the sample and its judge usage to the pass's totals, in one transaction.
    /// </summary>
    public async Task SaveRegradedSampleAsync(string runId, long gradingId, SampleKey key, IReadOnlyList<Verdict> verdicts, JudgeUsage? judgeUsage,
        CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            (string, object?)[] sample = [("$run", runId), ("$model", key.Model), ("$condition", key.ConditionId), ("$epoch", key.Epoch)];
            await using (var delete = Command("DELETE FROM verdicts WHERE run_id = $run AND model = $model AND condition_id = $condition AND epoch = $epoch", sample))
            {
                delete.Transaction = tx;
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var v in verdicts)
            {
                await using var insert = Command("""
                    INSERT INTO verdicts(run_id, model, condition_id, epoch, grader_id, grader_version, behaviour, harmful, reason, evidence_json, score, confidence, grading_id)
                    VALUES ($run, $model, $condition, $epoch, $grader, $graderVersion, $behaviour, $harmful, $reason, $evidence, $score, $confidence, $grading)
                    """,
                    [.. sample, ("$grader", v.GraderId), ("$graderVersion", v.GraderVersion), ("$behaviour", v.Behaviour),
                        ("$harmful", v.Harmful is { } h ? (h ? 1 : 0) : null), ("$reason", v.Reason),
                        ("$evidence", JsonSerializer.Serialize(v.Evidence, TranscriptJson.Options)), ("$score", v.Score), ("$confidence", v.Confidence),
                        ("$grading", gradingId)]);
                insert.Transaction = tx;
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // The sample's family verdict columns follow its new verdicts (the same rule as the migration's backfill).
            await using (var columns = Command($"""
                UPDATE samples AS s SET {StoreSchema.FamilyVerdictAssignments}
                WHERE s.run_id = $run AND s.model = $model AND s.condition_id = $condition AND s.epoch = $epoch
                """, sample))
            {
                columns.Transaction = tx;
                await columns.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var usage = judgeUsage ?? JudgeUsage.None;
            await using (var totals = Command("""
                UPDATE gradings SET samples = samples + 1, judge_calls = judge_calls + $calls, judge_cache_hits = judge_cache_hits + $hits,
                    judge_input_tokens = judge_input_tokens + $in, judge_output_tokens = judge_output_tokens + $out,
                    judge_cache_read_tokens = judge_cache_read_tokens + $cacheRead, judge_cache_write_tokens = judge_cache_write_tokens + $cacheWrite,
                    judge_cost_usd = CASE WHEN $cost IS NULL THEN judge_cost_usd ELSE COALESCE(judge_cost_usd, 0) + $cost END
                WHERE id = $id
                """,
                ("$id", gradingId), ("$calls", usage.Calls), ("$hits", usage.CacheHits), ("$in", usage.Tokens.InputTokens), ("$out", usage.Tokens.OutputTokens),
                ("$cacheRead", usage.Tokens.CacheReadTokens), ("$cacheWrite", usage.Tokens.CacheWriteTokens), ("$cost", usage.CostUsd is { } c ? (double)c : null)))
            {
                totals.Transaction = tx;
                await totals.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>Marks a pass finished and records the graders (ids, versions, verdict counts) behind the verdicts it wrote.</summary>
    public async Task FinishGradingAsync(long gradingId, CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            var graders = new List<GraderCount>();
            await using (var read = Command("""
                SELECT grader_id, grader_version, COUNT(*) FROM verdicts
                WHERE grading_id = $id AND grader_id NOT LIKE '%/draw-%'
                GROUP BY grader_id, grader_version ORDER BY grader_id, grader_version
                """, ("$id", gradingId)))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    graders.Add(new GraderCount(reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
                }
            }

            await using var update = Command("UPDATE gradings SET finished_at = $at, graders_json = $graders WHERE id = $id",
                ("$id", gradingId), ("$at", DateTimeOffset.UtcNow.ToString("O")), ("$graders", JsonSerializer.Serialize(graders, TranscriptJson.Options)));
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>The regrade passes of a run, oldest first; empty when it was never regraded.</summary>
    public async Task<IReadOnlyList<GradingRecord>> GradingsAsync(string runId, CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            var rows = new List<GradingRecord>();
            await using var cmd = Command("""
                SELECT id, started_at, finished_at, keel_version, suite_hash, judge_json, previous_judge_json, graders_json, samples,
                       judge_calls, judge_cache_hits, judge_input_tokens, judge_output_tokens, judge_cache_read_tokens, judge_cache_write_tokens, judge_cost_usd
                FROM gradings WHERE run_id = $run ORDER BY id
                """, ("$run", runId));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var judge = Json<JudgeSettings>(reader, 5);
                rows.Add(new GradingRecord(
                    reader.GetInt64(0),
                    runId,
                    DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture),
                    reader.IsDBNull(2) ? null : DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture),
                    reader.GetString(3),
                    reader.GetString(4),
                    judge,
                    Json<JudgeSettings>(reader, 6),
                    Json<List<GraderCount>>(reader, 7),
                    reader.GetInt32(8),
                    judge is null ? null : new JudgeUsage(reader.GetInt32(9), reader.GetInt32(10),
                        new TokenUsage(reader.GetInt64(11), reader.GetInt64(12), reader.GetInt64(13), reader.GetInt64(14)),
                        reader.IsDBNull(15) ? null : (decimal)reader.GetDouble(15))));
            }

            return (IReadOnlyList<GradingRecord>)rows;
        }, cancellationToken).ConfigureAwait(false);

    private static string? JudgeJson(JudgeSettings? judge) => judge is null ? null : JsonSerializer.Serialize(judge, TranscriptJson.Options);

    private static T? Json<T>(SqliteDataReader reader, int column) where T : class =>
        reader.IsDBNull(column) ? null : JsonSerializer.Deserialize<T>(reader.GetString(column), TranscriptJson.Options);
}

/// <summary>One regrade pass of a run, as stored in <c>gradings</c>.</summary>
/// <param name="Id">The pass's id, as in <c>verdicts.grading_id</c>.</param>
/// <param name="RunId">The run regraded.</param>
/// <param name="StartedAt">When the pass started (UTC).</param>
/// <param name="FinishedAt">When it had regraded every stored sample; null when it was interrupted.</param>
/// <param name="KeelVersion">The Keel version that ran it (and so the detectors' code).</param>
/// <param name="SuiteHash">The hash of the suite it graded against (differs from the run's only with <c>--allow-changed-suite</c>).</param>
/// <param name="Judge">The judge it graded with; null for the detectors only.</param>
/// <param name="PreviousJudge">The run's judge before the pass; null when it had none.</param>
/// <param name="Graders">The graders behind the verdicts it wrote (draw verdicts left out), with their versions and counts; null until it finishes.</param>
/// <param name="Samples">Samples it regraded.</param>
/// <param name="JudgeUsage">What its judge used; null without a judge.</param>
public sealed record GradingRecord(
    long Id,
    string RunId,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string KeelVersion,
    string SuiteHash,
    JudgeSettings? Judge,
    JudgeSettings? PreviousJudge,
    IReadOnlyList<GraderCount>? Graders,
    int Samples,
    JudgeUsage? JudgeUsage);

/// <summary>A grader behind some of a pass's verdicts.</summary>
/// <param name="GraderId">e.g. <c>detector/blackmail</c>.</param>
/// <param name="GraderVersion">Its version.</param>
/// <param name="Verdicts">Verdicts it gave in the pass.</param>
public sealed record GraderCount(string GraderId, string GraderVersion, int Verdicts);
