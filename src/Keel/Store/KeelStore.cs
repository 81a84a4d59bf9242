using System.Text.Json;
using Keel.Evaluation;
using Keel.Grading;
using Keel.Statistics;
using Keel.Transcripts;
using Microsoft.Data.Sqlite;

namespace Keel.Store;

/// <summary>
/// The embedded SQLite store: runs, samples, transcripts and verdicts. Each finished sample is written
/// whole inside one transaction, so a run killed at any moment keeps every finished sample and nothing half-written.
/// Safe to call from many tasks: statements are serialized on one connection. Finished samples and response-cache
/// entries go through a background writer that commits whatever has queued up in one transaction (group commit);
/// <see cref="SaveSampleAsync"/> returns only once its write is committed; <see cref="SetAsync"/> (the response cache)
/// returns at once, and its entry is committed no later than any write queued after it.
/// Response-cache lookups read on a second connection, so they never wait behind writes (WAL readers do not block).
/// </summary>
public sealed partial class KeelStore : IAsyncDisposable, IDisposable, Keel.Models.IResponseCache, Keel.Models.Batch.IBatchStore
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly PendingCache _pendingCache = new();

    private KeelStore(SqliteConnection connection, string path)
    {
        _connection = connection;
        Path = path;
        _writer = new Writer(this);
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
        var store = new KeelStore(connection, full) { _cacheReader = new CacheReader(full) };
        await store.ExecuteAsync(StoreSchema.Sql, cancellationToken).ConfigureAwait(false);
        var version = await store.ScalarAsync<long?>("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'", cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            await store.ExecuteAsync($"INSERT INTO meta(key, value) VALUES ('schema_version', '{StoreSchema.Version}')", cancellationToken).ConfigureAwait(false);
        }
        else if (version > StoreSchema.Version)
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw new InvalidDataException($"{full} was written by a newer Keel (schema {version}); upgrade Keel to read it");
        }
        else if (version < StoreSchema.Version)
        {
            await store.MigrateAsync((int)version, cancellationToken).ConfigureAwait(false);
        }

        await store.ExecuteAsync(StoreSchema.Objects, cancellationToken).ConfigureAwait(false);
        return store;
    }

    /// <summary>
    /// Opens an existing store for reading only (the viewer): SQLite's read-only mode, no schema statements, no migration,
    /// so nothing in the file changes. Every write method of the returned store fails.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no store at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a Keel store, or its schema is not the one this Keel reads.</exception>
    public static async Task<KeelStore> OpenReadOnlyAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"there is no store at {full}", full);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var store = new KeelStore(connection, full) { _cacheReader = new CacheReader(full), ReadOnly = true };
        long? version;
        try
        {
            await store.ExecuteAsync("PRAGMA busy_timeout = 5000; PRAGMA query_only = 1;", cancellationToken).ConfigureAwait(false);
            version = await store.ScalarAsync<long?>("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'", cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw new InvalidDataException($"{full} is not a Keel store ({ex.Message.TrimEnd('.')}); point --db at the file 'keel eval' wrote", ex);
        }

        if (version != StoreSchema.Version)
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw new InvalidDataException(version > StoreSchema.Version
                ? $"{full} was written by a newer Keel (schema {version}); upgrade Keel to read it"
                : $"{full} has schema {version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"} and this Keel reads schema {StoreSchema.Version}; " +
                  $"'keel report --db {full}' upgrades it once (the viewer itself never writes to a store)");
        }

        return store;
    }

    /// <summary>True when the store was opened with <see cref="OpenReadOnlyAsync"/>.</summary>
    public bool ReadOnly { get; private init; }

    /// <summary>
    /// Brings a store written by an older Keel up to <see cref="StoreSchema.Version"/>, one version per transaction: a
    /// step's columns (those the table lacks), its SQL (backfills, tables, indexes) and the new version commit together.
    /// </summary>
    private async Task MigrateAsync(int from, CancellationToken cancellationToken)
    {
        for (var version = from; version < StoreSchema.Version; version++)
        {
            var migration = StoreSchema.Migrations[version];
            await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var current = Command("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'"))
            {
                // Another process may have migrated this step while this one waited for the write lock.
                current.Transaction = tx;
                if (Convert.ToInt64(await current.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) != version) continue;
            }

            foreach (var column in migration.Columns)
            {
                await using var has = Command("SELECT COUNT(*) FROM pragma_table_info($table) WHERE name = $column", ("$table", column.Table), ("$column", column.Name));
                has.Transaction = tx;
                if (Convert.ToInt64(await has.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0) continue;
                await using var add = Command($"ALTER TABLE {column.Table} ADD COLUMN {column.Name} {column.Definition}");
                add.Transaction = tx;
                await add.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (migration.Sql.Length > 0)
            {
                await using var migrate = Command(migration.Sql);
                migrate.Transaction = tx;
                await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var bump = Command("UPDATE meta SET value = $version WHERE key = 'schema_version'", ("$version", (version + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))))
            {
                bump.Transaction = tx;
                await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
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

    /// <summary>
    /// Writes one finished sample (status, transcript, verdicts), replacing an earlier attempt, and returns once it is
    /// committed. The sample's rows are written together inside one transaction (which may also carry other samples):
    /// it is stored whole or not at all. Cancelling before the writer has taken it up stores nothing and throws.
    /// </summary>
    public Task SaveSampleAsync(string runId, SampleResult result, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _writer.EnqueueAsync(new SampleWrite(runId, result), cancellationToken);
    }

    /// <summary>
    /// Every stored sample of a run with its family verdicts: the detector's (the family verdict of any grader other
    /// than the judge and the combined policy), the LLM judge's (<c>judge/FAMILY</c>) and the combined one
    /// (<c>combined/FAMILY</c>). A missing verdict counts as undecided. Read from the sample's family verdict columns,
    /// which every writer keeps equal to its verdicts.
    /// </summary>
    public async Task<IReadOnlyList<SampleOutcome>> OutcomesAsync(string runId, CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            var outcomes = new List<SampleOutcome>();
            await using var cmd = Command("""
                SELECT s.model, s.family, s.scenario_id, s.condition_id, s.status, s.detector_harmful, s.judge_harmful, s.combined_harmful
                FROM samples s
                WHERE s.run_id = $run
                ORDER BY s.rowid
                """, ("$run", runId));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                outcomes.Add(new SampleOutcome(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetString(4) == "error", Flag(reader, 5), Flag(reader, 6), Flag(reader, 7)));
            }

            return (IReadOnlyList<SampleOutcome>)outcomes;
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// A run's samples counted by what the results group them by: model, family, scenario, condition, errored or not, and
    /// the three family verdicts (as <see cref="OutcomesAsync"/> gives them one by one). Groups come in the order of their
    /// first stored sample, so cells and families first appear in the same order as in <see cref="OutcomesAsync"/>. One
    /// pass over the <c>samples_list</c> index: a report of 100,000 samples reads a few thousand groups, not 100,000 rows.
    /// </summary>
    public async Task<IReadOnlyList<OutcomeCount>> OutcomeCountsAsync(string runId, CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            var counts = new List<OutcomeCount>();
            await using var cmd = Command("""
                SELECT model, family, scenario_id, condition_id, status, detector_harmful, judge_harmful, combined_harmful, COUNT(*), MIN(rowid) AS first_rowid
                FROM samples WHERE run_id = $run
                GROUP BY family, split, condition_id, scenario_id, model, status, detector_harmful, judge_harmful, combined_harmful
                ORDER BY first_rowid
                """, ("$run", runId));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                counts.Add(new OutcomeCount(new SampleOutcome(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetString(4) == "error", Flag(reader, 5), Flag(reader, 6), Flag(reader, 7)), reader.GetInt32(8)));
            }

            return (IReadOnlyList<OutcomeCount>)counts;
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>The extra judge dimensions' verdicts (<c>judge/dimension/ID</c>) of a run's finished samples, in sample order.</summary>
    public async Task<IReadOnlyList<DimensionOutcome>> DimensionOutcomesAsync(string runId, CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            var outcomes = new List<DimensionOutcome>();
            await using var cmd = Command("""
                SELECT v.model, v.behaviour, v.harmful, v.score
                FROM verdicts v JOIN samples s ON s.run_id = v.run_id AND s.model = v.model AND s.condition_id = v.condition_id AND s.epoch = v.epoch
                WHERE v.run_id = $run AND s.status = 'done' AND v.grader_id = 'judge/dimension/' || v.behaviour
                ORDER BY s.rowid, v.grader_id
                """, ("$run", runId));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                outcomes.Add(new DimensionOutcome(reader.GetString(0), reader.GetString(1), Flag(reader, 2), reader.IsDBNull(3) ? null : reader.GetDouble(3)));
            }

            return (IReadOnlyList<DimensionOutcome>)outcomes;
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>What the LLM judge used over a run's stored samples; null when no sample was graded by a judge.</summary>
    public async Task<Keel.Grading.Judges.JudgeUsage?> JudgeUsageAsync(string runId, CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            await using var cmd = Command("""
                SELECT COUNT(judge_calls), SUM(judge_calls), SUM(judge_cache_hits), SUM(judge_input_tokens), SUM(judge_output_tokens),
                       SUM(judge_cache_read_tokens), SUM(judge_cache_write_tokens), SUM(judge_cost_usd), COUNT(judge_cost_usd)
                FROM samples WHERE run_id = $run
                """, ("$run", runId));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || reader.GetInt32(0) == 0) return null;
            var judged = reader.GetInt32(0);
            decimal? cost = reader.GetInt32(8) == judged && !reader.IsDBNull(7) ? (decimal)reader.GetDouble(7) : null;
            return new Keel.Grading.Judges.JudgeUsage(reader.GetInt32(1), reader.GetInt32(2),
                new TokenUsage(reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)), cost);
        }, cancellationToken).ConfigureAwait(false);

    private static bool? Flag(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetInt64(column) == 1;

    /// <summary>Tokens, calls, cache hits and cost of a run, per model, over its stored samples.</summary>
    public async Task<IReadOnlyList<ModelUsage>> UsageAsync(string runId, CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            var rows = new List<ModelUsage>();
            // Summed per cell first, in the list index's order (no sort of every sample), then per model.
            await using var cmd = Command("""
                SELECT model, SUM(n), SUM(input), SUM(output), SUM(cache_read), SUM(cache_write), SUM(calls), SUM(hits), SUM(cost), SUM(priced)
                FROM (SELECT model, COUNT(*) AS n, SUM(input_tokens) AS input, SUM(output_tokens) AS output, SUM(cache_read_tokens) AS cache_read,
                             SUM(cache_write_tokens) AS cache_write, SUM(model_calls) AS calls, SUM(cache_hits) AS hits, SUM(cost_usd) AS cost,
                             COUNT(cost_usd) AS priced, MIN(rowid) AS first_rowid
                      FROM samples WHERE run_id = $run GROUP BY family, split, condition_id, scenario_id, model)
                GROUP BY model ORDER BY MIN(first_rowid)
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

    /// <summary>
    /// What a run has spent so far: its agents and its judge while the samples ran, and the judge of every regrade pass
    /// (anything without a price counts as 0).
    /// </summary>
    public async Task<decimal> SpentAsync(string runId, CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            await using var cmd = Command("""
                SELECT COALESCE(SUM(cost_usd), 0) + COALESCE(SUM(judge_cost_usd), 0)
                    + (SELECT COALESCE(SUM(judge_cost_usd), 0) FROM gradings WHERE run_id = $run)
                FROM samples WHERE run_id = $run
                """, ("$run", runId));
            return (decimal)Convert.ToDouble(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _pendingCache.TryGet(key, out var pending) ? ValueTask.FromResult<string?>(pending) : _reader.CachedResponseAsync(key, cancellationToken);
    }

    /// <summary>
    /// Stores a response under a key without waiting for the commit: the entry is visible to <see cref="GetAsync"/> at
    /// once and committed no later than any write queued after it (see <see cref="PendingCache"/>). An entry whose write
    /// fails is counted in <see cref="CacheWriteFailures"/>; it fails no model call.
    /// </summary>
    public ValueTask SetAsync(string key, string model, string responseJson, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _pendingCache.Add(key, responseJson);
        try
        {
            _ = _writer.EnqueueAsync(new CacheWrite(_pendingCache, key, model, responseJson, DateTimeOffset.UtcNow.ToString("O")), CancellationToken.None);
        }
        catch
        {
            _pendingCache.Written(key, responseJson, null); // never queued (the store is closing): nothing to wait for
            throw;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Response-cache entries this store could not write since it was opened (their samples are stored; only the cache
    /// misses them). Take a snapshot before a run and compare after it (<see cref="CacheWriteFailures.WarningSince"/>):
    /// every entry set before a sample is stored has its outcome counted by the time that sample's save completes.
    /// </summary>
    public CacheWriteFailures CacheWriteFailures => _pendingCache.Failures;

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
        await _writer.DisposeAsync().ConfigureAwait(false);
        _reader.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _reader.Dispose();
        _connection.Dispose();
        _gate.Dispose();
    }
}
