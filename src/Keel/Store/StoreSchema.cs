namespace Keel.Store;

/// <summary>The SQLite schema (documented in docs/architecture.md). Plain SQL that the sqlite3 3.40 CLI reads.</summary>
internal static class StoreSchema
{
    public const string Sql = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        PRAGMA busy_timeout = 5000;
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS runs (
            id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            keel_version TEXT NOT NULL,
            suite_id TEXT NOT NULL,
            suite_version TEXT NOT NULL,
            suite_hash TEXT NOT NULL,
            seed INTEGER NOT NULL,
            planned_samples INTEGER NOT NULL,
            config_json TEXT NOT NULL,
            scenario_hashes_json TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS samples (
            run_id TEXT NOT NULL REFERENCES runs(id),
            model TEXT NOT NULL,
            condition_id TEXT NOT NULL,
            epoch INTEGER NOT NULL,
            scenario_id TEXT NOT NULL,
            family TEXT NOT NULL,
            split TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('done', 'error')),
            error TEXT,
            stop_reason TEXT NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cache_read_tokens INTEGER NOT NULL,
            cache_write_tokens INTEGER NOT NULL,
            model_calls INTEGER NOT NULL,
            cache_hits INTEGER NOT NULL,
            cost_usd REAL,
            started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL,
            PRIMARY KEY (run_id, model, condition_id, epoch));
        CREATE TABLE IF NOT EXISTS transcripts (
            run_id TEXT NOT NULL,
            model TEXT NOT NULL,
            condition_id TEXT NOT NULL,
            epoch INTEGER NOT NULL,
            json TEXT NOT NULL,
            PRIMARY KEY (run_id, model, condition_id, epoch));
        CREATE TABLE IF NOT EXISTS response_cache (
            key TEXT PRIMARY KEY,
            model TEXT NOT NULL,
            response_json TEXT NOT NULL,
            created_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS batches (
            id TEXT PRIMARY KEY,
            model TEXT NOT NULL,
            submitted_at TEXT NOT NULL,
            ended_at TEXT);
        CREATE TABLE IF NOT EXISTS batch_requests (
            model TEXT NOT NULL,
            key TEXT NOT NULL,
            batch_id TEXT NOT NULL,
            custom_id TEXT NOT NULL,
            response_body TEXT,
            PRIMARY KEY (model, key));
        CREATE TABLE IF NOT EXISTS verdicts (
            run_id TEXT NOT NULL,
            model TEXT NOT NULL,
            condition_id TEXT NOT NULL,
            epoch INTEGER NOT NULL,
            grader_id TEXT NOT NULL,
            grader_version TEXT NOT NULL,
            behaviour TEXT NOT NULL,
            harmful INTEGER,
            reason TEXT NOT NULL,
            evidence_json TEXT NOT NULL,
            PRIMARY KEY (run_id, model, condition_id, epoch, grader_id));
        """;
}
