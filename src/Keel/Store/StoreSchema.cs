namespace Keel.Store;

/// <summary>
/// The SQLite schema (documented in docs/architecture.md). Plain SQL that the sqlite3 3.40 CLI reads. <see cref="Sql"/>
/// creates a store at <see cref="Version"/>; <see cref="Migrations"/> brings an older store up to it, one version at a time.
/// </summary>
internal static class StoreSchema
{
    /// <summary>The schema version this Keel writes (meta.schema_version).</summary>
    public const int Version = 3;

    /// <summary>SQL that moves a store from the version of its key to the next one.</summary>
    public static IReadOnlyDictionary<int, string> Migrations { get; } = new Dictionary<int, string>
    {
        // 1 → 2: the LLM judge. Verdicts get a score and a confidence; samples get the judge's usage and cost.
        [1] = """
            ALTER TABLE verdicts ADD COLUMN score REAL;
            ALTER TABLE verdicts ADD COLUMN confidence REAL;
            ALTER TABLE samples ADD COLUMN judge_calls INTEGER;
            ALTER TABLE samples ADD COLUMN judge_cache_hits INTEGER;
            ALTER TABLE samples ADD COLUMN judge_input_tokens INTEGER;
            ALTER TABLE samples ADD COLUMN judge_output_tokens INTEGER;
            ALTER TABLE samples ADD COLUMN judge_cache_read_tokens INTEGER;
            ALTER TABLE samples ADD COLUMN judge_cache_write_tokens INTEGER;
            ALTER TABLE samples ADD COLUMN judge_cost_usd REAL;
            """,

        // 2 → 3: regrading. Each `keel regrade` pass gets a row in gradings; the verdicts it wrote carry its id.
        [2] = $"""
            ALTER TABLE verdicts ADD COLUMN grading_id INTEGER;
            {Gradings}
            """,
    };

    /// <summary>The gradings table: one row per <c>keel regrade</c> pass (IF NOT EXISTS: <see cref="Sql"/> also creates it).</summary>
    private const string Gradings = """
        CREATE TABLE IF NOT EXISTS gradings (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id TEXT NOT NULL REFERENCES runs(id),
            started_at TEXT NOT NULL,
            finished_at TEXT,
            keel_version TEXT NOT NULL,
            suite_hash TEXT NOT NULL,
            judge_json TEXT,
            previous_judge_json TEXT,
            graders_json TEXT,
            samples INTEGER NOT NULL DEFAULT 0,
            judge_calls INTEGER NOT NULL DEFAULT 0,
            judge_cache_hits INTEGER NOT NULL DEFAULT 0,
            judge_input_tokens INTEGER NOT NULL DEFAULT 0,
            judge_output_tokens INTEGER NOT NULL DEFAULT 0,
            judge_cache_read_tokens INTEGER NOT NULL DEFAULT 0,
            judge_cache_write_tokens INTEGER NOT NULL DEFAULT 0,
            judge_cost_usd REAL);
        """;

    public const string Sql = $$"""
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
            judge_calls INTEGER,
            judge_cache_hits INTEGER,
            judge_input_tokens INTEGER,
            judge_output_tokens INTEGER,
            judge_cache_read_tokens INTEGER,
            judge_cache_write_tokens INTEGER,
            judge_cost_usd REAL,
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
            score REAL,
            confidence REAL,
            grading_id INTEGER,
            PRIMARY KEY (run_id, model, condition_id, epoch, grader_id));
        {{Gradings}}
        """;
}
