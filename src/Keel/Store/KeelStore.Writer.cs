using System.Text.Json;
using System.Threading.Channels;
using Keel.Evaluation;
using Keel.Transcripts;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Keel.Store;

/// <summary>The group-commit writer and the response-cache reader.</summary>
public sealed partial class KeelStore
{
    /// <summary>At most this many writes go into one transaction.</summary>
    private const int MaxBatch = 256;

    private readonly Writer _writer;
    private CacheReader? _cacheReader;

    private CacheReader _reader => _cacheReader ?? throw new InvalidOperationException("store not open");

    /// <summary>
    /// A write waiting for the writer: queued, then taken into a transaction, or cancelled while still queued. A write
    /// someone awaits has a task that completes once it is committed (or fails); a write nobody awaits (a response-cache
    /// entry) reports its outcome through <see cref="Complete"/> only.
    /// </summary>
    private abstract class WriteItem(bool awaited)
    {
        private const int Queued = 0;
        private const int Taken = 1;
        private const int Cancelled = 2;
        private readonly TaskCompletionSource? _done = awaited ? new(TaskCreationOptions.RunContinuationsAsynchronously) : null;
        private CancellationTokenRegistration _registration;
        private int _state;

        public Task Done => _done?.Task ?? Task.CompletedTask;

        /// <summary>Cancelling the token before the writer takes the item up drops it; afterwards it is written regardless.</summary>
        public void Watch(CancellationToken cancellationToken)
        {
            if (_done is null || !cancellationToken.CanBeCanceled) return;
            _registration = cancellationToken.UnsafeRegister(static (state, token) =>
            {
                var item = (WriteItem)state!;
                if (Interlocked.CompareExchange(ref item._state, Cancelled, Queued) == Queued) item._done!.TrySetCanceled(token);
            }, this);
        }

        /// <summary>Claims the item for a transaction; false when it was cancelled first.</summary>
        public bool TryTake()
        {
            if (Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued) return true;
            _registration.Dispose();
            return false;
        }

        public virtual void Complete(Exception? error)
        {
            _registration.Dispose();
            if (error is null) _done?.TrySetResult();
            else _done?.TrySetException(error);
        }

        /// <summary>Runs the item's statements inside the open transaction.</summary>
        public abstract void Write(Statements statements);

        /// <summary>The run whose samples the item changes (its revision is bumped once per transaction), or null.</summary>
        public virtual string? RunId => null;
    }

    /// <summary>A finished sample, its values taken (and its transcript serialized) on the caller's thread.</summary>
    private sealed class SampleWrite : WriteItem
    {
        private readonly object?[] _key;
        private readonly object?[] _sample;
        private readonly Utf8Text _transcriptJson;
        private readonly object?[][] _verdicts;

        public SampleWrite(string runId, SampleResult result)
            : base(awaited: true)
        {
            var t = result.Transcript;
            var calls = 0;
            var hits = 0;
            foreach (var m in t.Messages)
            {
                if (m.Role == "assistant") calls++;
                if (m.Flags?.Contains("cache_hit") == true) hits++;
            }

            _key = [runId, result.Key.Model, result.Key.ConditionId, result.Key.Epoch];
            var judge = result.JudgeUsage;
            var (detector, judged, combined) = FamilyVerdicts.Of(result.Family, result.Verdicts);
            // One array of the insert's 29 values in column order (a collection expression with spreads built a List first).
            _sample =
            [
                runId, result.Key.Model, result.Key.ConditionId, _key[3], result.ScenarioId, result.Family, result.Split,
                result.Status == SampleStatus.Done ? "done" : "error", result.Error,
                JsonNamingPolicy.SnakeCaseLower.ConvertName(t.StopReason.ToString()), t.Usage.InputTokens, t.Usage.OutputTokens,
                t.Usage.CacheReadTokens, t.Usage.CacheWriteTokens, calls, hits, result.CostUsd is { } c ? (double)c : null,
                result.StartedAt.ToString("O"), result.FinishedAt.ToString("O"),
                judge?.Calls, judge?.CacheHits, judge?.Tokens.InputTokens, judge?.Tokens.OutputTokens, judge?.Tokens.CacheReadTokens,
                judge?.Tokens.CacheWriteTokens, judge?.CostUsd is { } jc ? (double)jc : null,
                Bit(detector), Bit(judged), Bit(combined),
            ];
            _transcriptJson = new Utf8Text(TranscriptJson.SerializeToUtf8(t));
            _verdicts = result.Verdicts.Select(v => (object?[])
            [
                .. _key, v.GraderId, v.GraderVersion, v.Behaviour, v.Harmful is { } h ? (h ? 1 : 0) : null, v.Reason,
                new Utf8Text(JsonSerializer.SerializeToUtf8Bytes(v.Evidence, TranscriptJson.Options)), v.Score, v.Confidence,
            ]).ToArray();
        }

        private static object? Bit(bool? harmful) => harmful is { } h ? (h ? 1 : 0) : null;

        public override string? RunId => (string?)_key[0];

        public override void Write(Statements statements)
        {
            statements.InsertSample.Run(_sample);
            statements.InsertTranscript.Run([.. _key, _transcriptJson]);
            statements.DeleteVerdicts.Run(_key);
            foreach (var v in _verdicts) statements.InsertVerdict.Run(v);
        }
    }

    /// <summary>
    /// A response-cache entry, written without anyone waiting for it: until it commits, <see cref="PendingCache"/> holds
    /// it, so a lookup sees it at once; a failure is counted in <see cref="CacheWriteFailures"/>.
    /// </summary>
    private sealed class CacheWrite(PendingCache pending, string key, string model, string responseJson, string createdAt) : WriteItem(awaited: false)
    {
        public override void Write(Statements statements) => statements.SetCache.Run([key, model, responseJson, createdAt]);

        public override void Complete(Exception? error)
        {
            base.Complete(error);
            pending.Written(key, responseJson, error);
        }
    }

    /// <summary>The writer's statements, prepared once on the main connection and reused for every write.</summary>
    private sealed class Statements(SqliteConnection connection) : IDisposable
    {
        public Prepared InsertSample { get; } = new(connection, """
            INSERT OR REPLACE INTO samples(run_id, model, condition_id, epoch, scenario_id, family, split, status, error, stop_reason,
                input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, model_calls, cache_hits, cost_usd, started_at, finished_at,
                judge_calls, judge_cache_hits, judge_input_tokens, judge_output_tokens, judge_cache_read_tokens, judge_cache_write_tokens, judge_cost_usd,
                detector_harmful, judge_harmful, combined_harmful)
            VALUES ($run, $model, $condition, $epoch, $scenario, $family, $split, $status, $error, $stop, $in, $out,
                $cacheRead, $cacheWrite, $calls, $hits, $cost, $started, $finished,
                $judgeCalls, $judgeHits, $judgeIn, $judgeOut, $judgeCacheRead, $judgeCacheWrite, $judgeCost,
                $detectorHarmful, $judgeHarmful, $combinedHarmful)
            """, "$run", "$model", "$condition", "$epoch", "$scenario", "$family", "$split", "$status", "$error", "$stop", "$in", "$out",
            "$cacheRead", "$cacheWrite", "$calls", "$hits", "$cost", "$started", "$finished",
            "$judgeCalls", "$judgeHits", "$judgeIn", "$judgeOut", "$judgeCacheRead", "$judgeCacheWrite", "$judgeCost",
            "$detectorHarmful", "$judgeHarmful", "$combinedHarmful");

        public Prepared InsertTranscript { get; } = new(connection,
            "INSERT OR REPLACE INTO transcripts(run_id, model, condition_id, epoch, json) VALUES ($run, $model, $condition, $epoch, $json)",
            "$run", "$model", "$condition", "$epoch", "$json");

        public Prepared DeleteVerdicts { get; } = new(connection,
            "DELETE FROM verdicts WHERE run_id = $run AND model = $model AND condition_id = $condition AND epoch = $epoch",
            "$run", "$model", "$condition", "$epoch");

        public Prepared InsertVerdict { get; } = new(connection, """
            INSERT INTO verdicts(run_id, model, condition_id, epoch, grader_id, grader_version, behaviour, harmful, reason, evidence_json, score, confidence)
            VALUES ($run, $model, $condition, $epoch, $grader, $graderVersion, $behaviour, $harmful, $reason, $evidence, $score, $confidence)
            """, "$run", "$model", "$condition", "$epoch", "$grader", "$graderVersion", "$behaviour", "$harmful", "$reason", "$evidence", "$score", "$confidence");

        public Prepared SetCache { get; } = new(connection,
            "INSERT OR REPLACE INTO response_cache(key, model, response_json, created_at) VALUES ($key, $model, $json, $at)",
            "$key", "$model", "$json", "$at");

        /// <summary>
        /// Bumps a run's revision once for a whole transaction of its samples (a per-row trigger on inserts cost about
        /// 0.06 ms of CPU per model call at 256 samples in flight; see StoreSchema.Objects).
        /// </summary>
        public Prepared BumpRevision { get; } = new(connection, "UPDATE runs SET revision = revision + 1 WHERE id = $run", "$run");

        public void Dispose()
        {
            InsertSample.Dispose();
            InsertTranscript.Dispose();
            DeleteVerdicts.Dispose();
            InsertVerdict.Dispose();
            SetCache.Dispose();
            BumpRevision.Dispose();
        }
    }

    /// <summary>Text already encoded as UTF-8 (JSON serialized straight to bytes), bound as TEXT without a string between.</summary>
    private sealed record Utf8Text(byte[] Bytes);

    /// <summary>
    /// One statement SQLite compiles once on a connection (the writer's, or a cache reader's); each run binds new values by
    /// position and steps it once, inside whatever transaction the connection has open. It goes through SQLitePCL's
    /// <c>raw</c> API under Microsoft.Data.Sqlite (the connection's <see cref="SqliteConnection.Handle"/>): the command
    /// API looked each parameter up by name, made a data reader and a UTF-8 copy of every string on every run, about 7 %
    /// of the harness's CPU at 256 samples in flight. Strings are encoded into one reused buffer. Errors become the same
    /// <see cref="SqliteException"/> the command API throws. Not thread-safe: one user at a time.
    /// </summary>
    private sealed class Prepared : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly sqlite3_stmt _statement;
        private readonly int _count;
        private byte[] _text = new byte[4096];

        /// <summary>How long a write retries a busy database: <see cref="SqliteCommand.CommandTimeout"/>'s default, 30 s.</summary>
        private const int BusyRetryMilliseconds = 30_000;

        public Prepared(SqliteConnection connection, string sql, params string[] names)
        {
            _connection = connection;
            var db = connection.Handle ?? throw new InvalidOperationException("the store's connection is not open");
            SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out _statement), db);
            _count = names.Length;
            for (var i = 0; i < names.Length; i++)
            {
                if (raw.sqlite3_bind_parameter_index(_statement, names[i]) != i + 1)
                {
                    throw new InvalidOperationException($"parameter {names[i]} is not number {i + 1} in: {sql}");
                }
            }
        }

        /// <summary>Runs a statement that returns nothing.</summary>
        public void Run(ReadOnlySpan<object?> values) => Step(values, read: false);

        /// <summary>Runs a query and returns the first column of its first row as text, or null (no row, or NULL).</summary>
        public string? ReadText(ReadOnlySpan<object?> values) => Step(values, read: true);

        private string? Step(ReadOnlySpan<object?> values, bool read)
        {
            var db = _connection.Handle!;
            try
            {
                // Every string's UTF-8 bytes go into one buffer sized first, so no bound span moves before the step.
                var bytes = 0;
                for (var i = 0; i < _count; i++)
                {
                    if (values[i] is string text) bytes += System.Text.Encoding.UTF8.GetByteCount(text);
                }

                if (_text.Length < bytes) _text = new byte[Math.Max(bytes, _text.Length * 2)];
                var offset = 0;
                for (var i = 0; i < _count; i++)
                {
                    var rc = values[i] switch
                    {
                        null or DBNull => raw.sqlite3_bind_null(_statement, i + 1),
                        string text => BindText(i + 1, text, ref offset),
                        Utf8Text utf8 => raw.sqlite3_bind_text(_statement, i + 1, utf8.Bytes),
                        int n => raw.sqlite3_bind_int64(_statement, i + 1, n),
                        long n => raw.sqlite3_bind_int64(_statement, i + 1, n),
                        double d => raw.sqlite3_bind_double(_statement, i + 1, d),
                        bool b => raw.sqlite3_bind_int64(_statement, i + 1, b ? 1 : 0),
                        var other => throw new ArgumentException($"cannot store a {other.GetType().Name} (parameter {i + 1})"),
                    };
                    SqliteException.ThrowExceptionForRC(rc, db);
                }

                // As the command API does: while another process holds the lock (past the connection's busy timeout), try
                // again for up to the default command timeout.
                var started = System.Environment.TickCount64;
                int step;
                while ((step = raw.sqlite3_step(_statement)) is raw.SQLITE_BUSY or raw.SQLITE_LOCKED
                       && System.Environment.TickCount64 - started < BusyRetryMilliseconds)
                {
                    raw.sqlite3_reset(_statement);
                    Thread.Sleep(150);
                }

                if (step == raw.SQLITE_ROW)
                {
                    return read && raw.sqlite3_column_type(_statement, 0) != raw.SQLITE_NULL ? raw.sqlite3_column_text(_statement, 0).utf8_to_string() : null;
                }

                if (step != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(step, db);
                return null;
            }
            finally
            {
                raw.sqlite3_reset(_statement);
                raw.sqlite3_clear_bindings(_statement);
            }
        }

        private int BindText(int index, string text, ref int offset)
        {
            var written = System.Text.Encoding.UTF8.GetBytes(text, _text.AsSpan(offset));
            var rc = raw.sqlite3_bind_text(_statement, index, _text.AsSpan(offset, written));
            offset += written;
            return rc;
        }

        public void Dispose() => _statement.Dispose();
    }

    /// <summary>
    /// Commits queued writes in the background: everything queued (up to <see cref="MaxBatch"/>) goes into one
    /// transaction on the main connection, under the store's gate. If that transaction fails, its writes are retried
    /// one per transaction, so only the write that fails sees the error.
    /// </summary>
    private sealed class Writer(KeelStore store) : IAsyncDisposable
    {
        private readonly Channel<WriteItem> _queue = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
        private readonly Lock _start = new();
        private Task? _loop;
        private Statements? _statements;

        public Task EnqueueAsync(WriteItem item, CancellationToken cancellationToken)
        {
            item.Watch(cancellationToken);
            if (_loop is null)
            {
                lock (_start) _loop ??= Task.Run(LoopAsync);
            }

            if (!_queue.Writer.TryWrite(item)) throw new ObjectDisposedException(nameof(KeelStore));
            return item.Done;
        }

        public async ValueTask DisposeAsync()
        {
            _queue.Writer.TryComplete();
            Task? loop;
            lock (_start) loop = _loop;
            if (loop is not null) await loop.ConfigureAwait(false);
            _statements?.Dispose();
        }

        private async Task LoopAsync()
        {
            var reader = _queue.Reader;
            var batch = new List<WriteItem>(MaxBatch);
            try
            {
                while (await reader.WaitToReadAsync().ConfigureAwait(false))
                {
                    await store._gate.WaitAsync().ConfigureAwait(false);
                    try
                    {
                        batch.Clear();
                        while (batch.Count < MaxBatch && reader.TryRead(out var item))
                        {
                            if (item.TryTake()) batch.Add(item);
                        }

                        if (batch.Count > 0) Commit(batch);
                    }
                    finally
                    {
                        store._gate.Release();
                    }
                }
            }
            catch (Exception ex)
            {
                // Not expected (Commit reports statement errors to their writes); fail whatever is left rather than hang.
                foreach (var item in batch) item.Complete(ex);
                while (reader.TryRead(out var item))
                {
                    if (item.TryTake()) item.Complete(ex);
                }

                throw;
            }
        }

        private void Commit(List<WriteItem> batch)
        {
            var statements = _statements ??= new Statements(store._connection);
            try
            {
                Transaction(statements, batch);
                foreach (var item in batch) item.Complete(null);
                return;
            }
            catch (Exception ex) when (batch.Count == 1)
            {
                batch[0].Complete(ex);
                return;
            }
            catch (Exception)
            {
                // Rolled back: find the write that failed by committing each alone.
            }

            foreach (var item in batch)
            {
                try
                {
                    Transaction(statements, [item]);
                    item.Complete(null);
                }
                catch (Exception ex)
                {
                    item.Complete(ex);
                }
            }
        }

        private void Transaction(Statements statements, IReadOnlyList<WriteItem> items)
        {
            // The statements run on the connection itself, so they are inside this transaction (rolled back if not committed).
            using var tx = store._connection.BeginTransaction();
            string? bumped = null;
            foreach (var item in items)
            {
                item.Write(statements);
                // Usually every sample of a transaction belongs to one run: bump it once, and again only when the run changes.
                if (item.RunId is { } run && run != bumped)
                {
                    statements.BumpRevision.Run([run]);
                    bumped = run;
                }
            }

            tx.Commit();
        }
    }

    /// <summary>
    /// Response-cache lookups on their own read-only connections (opened on first use), at most one per core at once.
    /// Callers wait for a connection asynchronously: under hundreds of concurrent samples, a blocking lock around one
    /// connection had threads spinning and pool threads parked on it (12% of the sampled thread time in a traced run).
    /// </summary>
    private sealed class CacheReader(string path) : IDisposable
    {
        private readonly SemaphoreSlim _slots = new(Connections, Connections);
        private readonly Stack<Lookup> _idle = new();
        private readonly Lock _lock = new();
        private bool _disposed;

        /// <summary>Read connections at most: one per core (WAL readers do not block each other or the writer).</summary>
        private static int Connections => Math.Clamp(System.Environment.ProcessorCount, 1, 4);

        public async ValueTask<string?> CachedResponseAsync(string key, CancellationToken cancellationToken)
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var lookup = Take() ?? new Lookup(path);
                try
                {
                    return lookup.Get(key);
                }
                finally
                {
                    Return(lookup);
                }
            }
            finally
            {
                _slots.Release();
            }
        }

        private Lookup? Take()
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, typeof(KeelStore));
                return _idle.TryPop(out var lookup) ? lookup : null;
            }
        }

        private void Return(Lookup lookup)
        {
            lock (_lock)
            {
                if (!_disposed)
                {
                    _idle.Push(lookup);
                    return;
                }
            }

            lookup.Dispose();
        }

        public void Dispose()
        {
            lock (_lock)
            {
                _disposed = true;
                while (_idle.TryPop(out var lookup)) lookup.Dispose();
            }
        }

        /// <summary>One read-only connection and its prepared lookup.</summary>
        private sealed class Lookup : IDisposable
        {
            private readonly SqliteConnection _connection;
            private readonly Prepared _get;

            public Lookup(string path)
            {
                _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
                _connection.Open();
                using (var pragma = _connection.CreateCommand())
                {
                    pragma.CommandText = "PRAGMA busy_timeout = 5000; PRAGMA query_only = 1;";
                    pragma.ExecuteNonQuery();
                }

                _get = new Prepared(_connection, "SELECT response_json FROM response_cache WHERE key = $key", "$key");
            }

            public string? Get(string key) => _get.ReadText([key]);

            public void Dispose()
            {
                _get.Dispose();
                _connection.Dispose();
            }
        }
    }
}
