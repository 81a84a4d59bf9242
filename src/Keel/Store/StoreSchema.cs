namespace Keel.Store;

/// <summary>
/// The SQLite schema (documented in docs/architecture.md). Plain SQL that the sqlite3 3.40 CLI reads. <see cref="Sql"/>
/// creates the tables of a store at <see cref="Version"/>; <see cref="Migrations"/> brings an older store up to it, one
/// version at a time; <see cref="Objects"/> (indexes and triggers) is created once the tables have every column.
/// </summary>
internal static class StoreSchema
{
    /// <summary>The schema version this Keel writes (meta.schema_version).</summary>
    public const int Version = 4;

    /// <summary>What moves a store from the version of its key to the next one.</summary>
    public static IReadOnlyDictionary<int, Migration> Migrations { get; } = new Dictionary<int, Migration>
    {
        // 1 → 2: the LLM judge. Verdicts get a score and a confidence; samples get the judge's usage and cost.
        [1] = new(
        [
            new("verdicts", "score", "REAL"),
            new("verdicts", "confidence", "REAL"),
            new("samples", "judge_calls", "INTEGER"),
            new("samples", "judge_cache_hits", "INTEGER"),
            new("samples", "judge_input_tokens", "INTEGER"),
            new("samples", "judge_output_tokens", "INTEGER"),
            new("samples", "judge_cache_read_tokens", "INTEGER"),
            new("samples", "judge_cache_write_tokens", "INTEGER"),
            new("samples", "judge_cost_usd", "REAL"),
        ], ""),

        // 2 → 3: regrading. Each `keel regrade` pass gets a row in gradings; the verdicts it wrote carry its id.
        [2] = new([new("verdicts", "grading_id", "INTEGER")], Gradings),

        // 3 → 4: what the viewer's lists filter and sort on. Each sample carries its family verdicts (detector, judge,
        // combined), backfilled here from its verdicts; runs get a revision that every change of their samples bumps;
        // the list index and the revision triggers are created.
        [3] = new(
        [
            new("samples", "detector_harmful", "INTEGER"),
            new("samples", "judge_harmful", "INTEGER"),
            new("samples", "combined_harmful", "INTEGER"),
            new("runs", "revision", "INTEGER NOT NULL DEFAULT 0"),
        ], $"""
            UPDATE samples AS s SET {FamilyVerdictAssignments};
            {Objects}
            """),
    };

    /// <summary>
    /// The SET list that recomputes the family verdict columns of sample <c>s</c> from its rows in <c>verdicts</c>: the
    /// detector's is the family verdict of the first grader (by id) that is neither the judge nor the combined policy;
    /// the judge's is <c>judge/FAMILY</c>'s, the combined one <c>combined/FAMILY</c>'s; NULL when missing or undecided.
    /// <see cref="FamilyVerdicts.Of"/> is the same rule in C# for the writer.
    /// </summary>
    public const string FamilyVerdictAssignments = """
        detector_harmful = (SELECT v.harmful FROM verdicts v WHERE v.run_id = s.run_id AND v.model = s.model AND v.condition_id = s.condition_id
            AND v.epoch = s.epoch AND v.behaviour = s.family AND v.grader_id NOT LIKE 'judge/%' AND v.grader_id NOT LIKE 'combined/%'
            ORDER BY v.grader_id LIMIT 1),
        judge_harmful = (SELECT v.harmful FROM verdicts v WHERE v.run_id = s.run_id AND v.model = s.model AND v.condition_id = s.condition_id
            AND v.epoch = s.epoch AND v.behaviour = s.family AND v.grader_id = 'judge/' || s.family),
        combined_harmful = (SELECT v.harmful FROM verdicts v WHERE v.run_id = s.run_id AND v.model = s.model AND v.condition_id = s.condition_id
            AND v.epoch = s.epoch AND v.behaviour = s.family AND v.grader_id = 'combined/' || s.family)
        """;

    /// <summary>
    /// Indexes and triggers (IF NOT EXISTS: run after every open, and inside migration 3 → 4). <c>samples_list</c> holds
    /// every column the viewer's sample list filters and sorts on and every column a run's report counts or sums, in
    /// cell order: counts, filters, sorts, the filter choices, the per-cell verdict counts, the token, cost and judge
    /// usage sums and the run list read the index (a few bytes a sample), never the table, and group without sorting.
    /// It leaves out only the key's epoch, the timestamps, the stop reason and the error. <c>samples_run</c> lists a
    /// run's samples in the order they were stored, so whatever reads a run's samples one by one in that order reads
    /// the table in order. <c>runs.revision</c> grows whenever a run's samples change or its config or planned samples
    /// change, so a reader can tell cheaply that a run changed: the triggers bump it on updates and deletes of samples
    /// and on config changes; samples are inserted only by the store's writer, which bumps it once per transaction (a
    /// per-row insert trigger, as the first schema 4 had and which is dropped here, cost about 0.06 ms of CPU per model
    /// call in the throughput benchmark).
    /// </summary>
    public const string Objects = """
        CREATE INDEX IF NOT EXISTS samples_list ON samples(run_id, family, split, condition_id, scenario_id, model, status,
            detector_harmful, judge_harmful, combined_harmful, input_tokens, output_tokens, cost_usd, model_calls,
            cache_read_tokens, cache_write_tokens, cache_hits, judge_calls, judge_cache_hits, judge_input_tokens, judge_output_tokens,
            judge_cache_read_tokens, judge_cache_write_tokens, judge_cost_usd);
        CREATE INDEX IF NOT EXISTS samples_run ON samples(run_id);
        DROP TRIGGER IF EXISTS samples_revision_insert;
        CREATE TRIGGER IF NOT EXISTS samples_revision_update AFTER UPDATE ON samples
        BEGIN UPDATE runs SET revision = revision + 1 WHERE id IN (OLD.run_id, NEW.run_id); END;
        CREATE TRIGGER IF NOT EXISTS samples_revision_delete AFTER DELETE ON samples
        BEGIN UPDATE runs SET revision = revision + 1 WHERE id = OLD.run_id; END;
        CREATE TRIGGER IF NOT EXISTS runs_revision_update AFTER UPDATE OF config_json, planned_samples ON runs
        WHEN NEW.config_json IS NOT OLD.config_json OR NEW.planned_samples IS NOT OLD.planned_samples
        BEGIN UPDATE runs SET revision = revision + 1 WHERE rowid = NEW.rowid; END;
        """;

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
            scenario_hashes_json TEXT NOT NULL,
            revision INTEGER NOT NULL DEFAULT 0);
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
            detector_harmful INTEGER,
            judge_harmful INTEGER,
            combined_harmful INTEGER,
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

/// <summary>A column a migration adds (unless the table already has it: <see cref="StoreSchema.Sql"/> may just have created the table whole).</summary>
/// <param name="Table">The table.</param>
/// <param name="Name">The column.</param>
/// <param name="Definition">Its type and constraints, as in <c>ALTER TABLE … ADD COLUMN</c>.</param>
internal sealed record AddedColumn(string Table, string Name, string Definition);

/// <summary>One schema step: columns to add, then SQL to run (in the same transaction).</summary>
/// <param name="Columns">Columns added first.</param>
/// <param name="Sql">Statements run after them (backfills, new tables, indexes).</param>
internal sealed record Migration(IReadOnlyList<AddedColumn> Columns, string Sql);
