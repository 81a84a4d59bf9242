using System.Text.Json;
using Keel.Evaluation;
using Keel.Grading;
using Keel.Statistics;
using Keel.Transcripts;
using Microsoft.Data.Sqlite;

namespace Keel.Store;

/// <summary>
/// The embedded SQLite store: runs, samples, transcripts and verdicts. Each finished sample is written
/// in one transaction, so a run killed at any moment keeps every finished sample and nothing half-written.
/// Safe to call from many tasks: writes are serialized on one connection.
/// </summary>
public sealed class KeelStore : IAsyncDisposable, IDisposable, Keel.Models.IResponseCache, Keel.Models.Batch.IBatchStore
{
    private const int SchemaVersion = 1;
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private KeelStore(SqliteConnection connection, string path)
    {
        _connection = connection;
        Path = path;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/>.</summary>
    public static async Task<KeelStore> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(full) is { } dir) Directory.CreateDirectory(dir);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var store = new KeelStore(connection, full);
        await store.ExecuteAsync(StoreSchema.Sql, cancellationToken).ConfigureAwait(false);
        var version = await store.ScalarAsync<long?>("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'", cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            await store.ExecuteAsync($"INSERT INTO meta(key, value) VALUES ('schema_version', '{SchemaVersion}')", cancellationToken).ConfigureAwait(false);
        }
        else if (version > SchemaVersion)
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw new InvalidDataException($"{full} was written by a newer Keel (schema {version}); upgrade Keel to read it");
        }

        return store;
    }

    /// <summary>Records a new run.</summary>
    public async Task CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        await WithGateAsync(async () =>
        {
            await using var cmd = Command("""
                INSERT INTO runs(id, created_at, keel_version, suite_id, suite_version, suite_hash, seed, planned_samples, config_json, scenario_hashes_json)
                VALUES ($id, $created, $version, $suite, $suiteVersion, $suiteHash, $seed, $planned, $config, $hashes)
                """,
                ("$id", run.Id), ("$created", run.CreatedAt.ToString("O")), ("$version", run.KeelVersion), ("$suite", run.SuiteId),
                ("$suiteVersion", run.SuiteVersion), ("$suiteHash", run.SuiteHash), ("$seed", run.Config.Seed), ("$planned", run.PlannedSamples),
                ("$config", JsonSerializer.Serialize(run.Config, TranscriptJson.Options)),
                ("$hashes", JsonSerializer.Serialize(run.ScenarioHashes, TranscriptJson.Options)));
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a run back; null when there is none with that id.</summary>
    public async Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            await using var cmd = Command("SELECT id, created_at, keel_version, suite_id, suite_version, suite_hash, planned_samples, config_json, scenario_hashes_json FROM runs WHERE id = $id", ("$id", runId));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
            return new RunRecord(
                reader.GetString(0),
                DateTimeOffset.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture),
                reader.GetString(2),
                JsonSerializer.Deserialize<EvalConfig>(reader.GetString(7), TranscriptJson.Options)!,
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(8), TranscriptJson.Options)!,
                reader.GetInt32(6));
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>Keys of the samples of a run that finished successfully (errors are not included: resume retries them).</summary>
    public async Task<IReadOnlySet<SampleKey>> DoneSampleKeysAsync(string runId, CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            var keys = new HashSet<SampleKey>();
            await using var cmd = Command("SELECT model, condition_id, epoch FROM samples WHERE run_id = $run AND status = 'done'", ("$run", runId));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) keys.Add(new SampleKey(reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
            return (IReadOnlySet<SampleKey>)keys;
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>Writes one finished sample (status, transcript, verdicts) in a single transaction, replacing an earlier attempt.</summary>
    public async Task SaveSampleAsync(string runId, SampleResult result, CancellationToken cancellationToken = default)
    {
        var transcriptJson = TranscriptJson.Serialize(result.Transcript);
        await WithGateAsync(async () =>
        {
            await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var key = new (string, object?)[] { ("$run", runId), ("$model", result.Key.Model), ("$condition", result.Key.ConditionId), ("$epoch", result.Key.Epoch) };
            await using (var cmd = Command("""
                INSERT OR REPLACE INTO samples(run_id, model, condition_id, epoch, scenario_id, family, split, status, error, stop_reason,
                    input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, model_calls, cache_hits, cost_usd, started_at, finished_at)
                VALUES ($run, $model, $condition, $epoch, $scenario, $family, $split, $status, $error, $stop, $in, $out,
                    $cacheRead, $cacheWrite, $calls, $hits, $cost, $started, $finished)
                """, [.. key, ("$scenario", result.ScenarioId), ("$family", result.Family), ("$split", result.Split),
                    ("$cacheRead", result.Transcript.Usage.CacheReadTokens), ("$cacheWrite", result.Transcript.Usage.CacheWriteTokens),
                    ("$calls", result.Transcript.Messages.Count(m => m.Role == "assistant")),
                    ("$hits", result.Transcript.Messages.Count(m => m.Flags?.Contains("cache_hit") == true)),
                    ("$cost", result.CostUsd is { } c ? (double)c : null),
                    ("$status", result.Status == SampleStatus.Done ? "done" : "error"), ("$error", result.Error),
                    ("$stop", JsonNamingPolicy.SnakeCaseLower.ConvertName(result.Transcript.StopReason.ToString())),
                    ("$in", result.Transcript.Usage.InputTokens), ("$out", result.Transcript.Usage.OutputTokens),
                    ("$started", result.StartedAt.ToString("O")), ("$finished", result.FinishedAt.ToString("O"))]))
            {
                cmd.Transaction = tx;
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var cmd = Command("INSERT OR REPLACE INTO transcripts(run_id, model, condition_id, epoch, json) VALUES ($run, $model, $condition, $epoch, $json)",
                [.. key, ("$json", transcriptJson)]))
            {
                cmd.Transaction = tx;
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var cmd = Command("DELETE FROM verdicts WHERE run_id = $run AND model = $model AND condition_id = $condition AND epoch = $epoch", key))
            {
                cmd.Transaction = tx;
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var v in result.Verdicts)
            {
                await using var cmd = Command("""
                    INSERT INTO verdicts(run_id, model, condition_id, epoch, grader_id, grader_version, behaviour, harmful, reason, evidence_json)
                    VALUES ($run, $model, $condition, $epoch, $grader, $graderVersion, $behaviour, $harmful, $reason, $evidence)
                    """, [.. key, ("$grader", v.GraderId), ("$graderVersion", v.GraderVersion), ("$behaviour", v.Behaviour),
                        ("$harmful", v.Harmful is { } h ? (h ? 1 : 0) : null), ("$reason", v.Reason),
                        ("$evidence", JsonSerializer.Serialize(v.Evidence, TranscriptJson.Options))]);
                cmd.Transaction = tx;
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // Not cancellable: once the sample is written it must commit whole.
            await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every stored sample of a run with its family verdict (the verdict whose behaviour is the sample's
    /// family; a missing verdict counts as undecided).
    /// </summary>
    public async Task<IReadOnlyList<SampleOutcome>> OutcomesAsync(string runId, CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            var outcomes = new List<SampleOutcome>();
            await using var cmd = Command("""
                SELECT s.model, s.family, s.scenario_id, s.condition_id, s.status, v.harmful
                FROM samples s
                LEFT JOIN verdicts v ON v.run_id = s.run_id AND v.model = s.model AND v.condition_id = s.condition_id
                    AND v.epoch = s.epoch AND v.behaviour = s.family
                WHERE s.run_id = $run
                ORDER BY s.rowid
                """, ("$run", runId));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                bool? harmful = reader.IsDBNull(5) ? null : reader.GetInt64(5) == 1;
                outcomes.Add(new SampleOutcome(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetString(4) == "error", harmful));
            }

            return (IReadOnlyList<SampleOutcome>)outcomes;
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>Tokens, calls, cache hits and cost of a run, per model, over its stored samples.</summary>
    public async Task<IReadOnlyList<ModelUsage>> UsageAsync(string runId, CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            var rows = new List<ModelUsage>();
            await using var cmd = Command("""
                SELECT model, COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens),
                       SUM(model_calls), SUM(cache_hits), SUM(cost_usd), COUNT(cost_usd)
                FROM samples WHERE run_id = $run GROUP BY model ORDER BY MIN(rowid)
                """, ("$run", runId));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var samples = reader.GetInt32(1);
                decimal? cost = reader.GetInt32(9) == samples && !reader.IsDBNull(8) ? (decimal)reader.GetDouble(8) : null;
                rows.Add(new ModelUsage(reader.GetString(0), samples, reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5),
                    reader.GetInt64(6), reader.GetInt64(7), cost));
            }

            return (IReadOnlyList<ModelUsage>)rows;
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>What a run has spent so far (samples without a price count as 0).</summary>
    public async Task<decimal> SpentAsync(string runId, CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            await using var cmd = Command("SELECT COALESCE(SUM(cost_usd), 0) FROM samples WHERE run_id = $run", ("$run", runId));
            return (decimal)Convert.ToDouble(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken) =>
        await WithGateAsync(async () =>
        {
            await using var cmd = Command("SELECT response_json FROM response_cache WHERE key = $key", ("$key", key));
            return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask SetAsync(string key, string model, string responseJson, CancellationToken cancellationToken) =>
        await WithGateAsync(async () =>
        {
            await using var cmd = Command("INSERT OR REPLACE INTO response_cache(key, model, response_json, created_at) VALUES ($key, $model, $json, $at)",
                ("$key", key), ("$model", model), ("$json", responseJson), ("$at", DateTimeOffset.UtcNow.ToString("O")));
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask AddBatchAsync(string model, string batchId, IReadOnlyList<(string Key, string CustomId)> requests, CancellationToken cancellationToken) =>
        await WithGateAsync(async () =>
        {
            await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var cmd = Command("INSERT OR IGNORE INTO batches(id, model, submitted_at) VALUES ($id, $model, $at)",
                ("$id", batchId), ("$model", model), ("$at", DateTimeOffset.UtcNow.ToString("O"))))
            {
                cmd.Transaction = tx;
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var (key, customId) in requests)
            {
                await using var cmd = Command("INSERT OR REPLACE INTO batch_requests(model, key, batch_id, custom_id, response_body) VALUES ($model, $key, $batch, $custom, NULL)",
                    ("$model", model), ("$key", key), ("$batch", batchId), ("$custom", customId));
                cmd.Transaction = tx;
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<Keel.Models.Batch.BatchedRequest?> FindAsync(string model, string key, CancellationToken cancellationToken) =>
        await WithGateAsync(async () =>
        {
            await using var cmd = Command("SELECT batch_id, custom_id, response_body FROM batch_requests WHERE model = $model AND key = $key", ("$model", model), ("$key", key));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? new Keel.Models.Batch.BatchedRequest(key, reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2))
                : null;
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask CompleteBatchAsync(string batchId, IReadOnlyDictionary<string, string?> bodiesByCustomId, CancellationToken cancellationToken) =>
        await WithGateAsync(async () =>
        {
            await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (customId, body) in bodiesByCustomId)
            {
                await using var cmd = body is null
                    ? Command("DELETE FROM batch_requests WHERE batch_id = $batch AND custom_id = $custom", ("$batch", batchId), ("$custom", customId))
                    : Command("UPDATE batch_requests SET response_body = $body WHERE batch_id = $batch AND custom_id = $custom",
                        ("$batch", batchId), ("$custom", customId), ("$body", body));
                cmd.Transaction = tx;
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var cmd = Command("UPDATE batches SET ended_at = $at WHERE id = $id", ("$id", batchId), ("$at", DateTimeOffset.UtcNow.ToString("O"))))
            {
                cmd.Transaction = tx;
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>Reads one stored transcript; null when the sample is not stored.</summary>
    public async Task<Transcript?> TranscriptAsync(string runId, SampleKey key, CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            await using var cmd = Command("SELECT json FROM transcripts WHERE run_id = $run AND model = $model AND condition_id = $condition AND epoch = $epoch",
                ("$run", runId), ("$model", key.Model), ("$condition", key.ConditionId), ("$epoch", key.Epoch));
            return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? TranscriptJson.Deserialize(json) : null;
        }, cancellationToken).ConfigureAwait(false);

    private async Task<T> WithGateAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await action().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task WithGateAsync(Func<Task> action, CancellationToken cancellationToken) =>
        WithGateAsync(async () =>
        {
            await action().ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var cmd = Command(sql);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<T?> ScalarAsync<T>(string sql, CancellationToken cancellationToken)
    {
        await using var cmd = Command(sql);
        var value = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }
}
