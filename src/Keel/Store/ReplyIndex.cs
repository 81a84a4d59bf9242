using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Keel.Store;

/// <summary>
/// A full-text index (SQLite FTS5) of what agents wrote (assistant replies and tool-call arguments), kept in its own
/// file beside the store so searching never writes to the store. Built on first use and extended by the transcripts'
/// rowids: an update indexes only the transcripts stored since the last one. The index holds no text of its own
/// (contentless); each document's rowid is the rowid of its sample in <c>samples</c>, so a match is a sample without a
/// join through <c>transcripts</c>.
/// </summary>
public static class ReplyIndex
{
    /// <summary>
    /// The index file's format (its <c>user_version</c>): 2 = documents keyed by the samples' rowids. A file of another
    /// format (1 or 0: keyed by the transcripts' rowids) is emptied and rebuilt.
    /// </summary>
    private const int Format = 2;

    /// <summary>The index file used for a store when none is named: the store's path with <c>.search</c> appended.</summary>
    public static string DefaultPath(string storePath) => Path.GetFullPath(storePath) + ".search";

    /// <summary>
    /// Creates or extends the index at <paramref name="indexPath"/> from the store at <paramref name="storePath"/> (read
    /// only) and returns how many transcripts it indexed now. A store whose transcripts end before the index's last
    /// rowid (a different or rebuilt store), or an index of an older format, is emptied (FTS5's <c>delete-all</c>: a
    /// contentless table refuses DELETE) and indexed again from the start.
    /// </summary>
    public static async Task<int> UpdateAsync(string storePath, string indexPath, CancellationToken cancellationToken = default)
    {
        await using var store = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(storePath), Mode = SqliteOpenMode.ReadOnly, Pooling = false,
        }.ToString());
        await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var index = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(indexPath), Pooling = false }.ToString());
        await index.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(index, """
            PRAGMA busy_timeout = 5000;
            CREATE TABLE IF NOT EXISTS indexed (id INTEGER PRIMARY KEY CHECK (id = 1), last_rowid INTEGER NOT NULL);
            CREATE VIRTUAL TABLE IF NOT EXISTS replies USING fts5(text, content='');
            INSERT OR IGNORE INTO indexed(id, last_rowid) VALUES (1, 0);
            """, cancellationToken).ConfigureAwait(false);

        var last = await ScalarAsync(index, "SELECT last_rowid FROM indexed", cancellationToken).ConfigureAwait(false);
        var max = await ScalarAsync(store, "SELECT COALESCE(MAX(rowid), 0) FROM transcripts", cancellationToken).ConfigureAwait(false);
        if (max < last || await ScalarAsync(index, "PRAGMA user_version", cancellationToken).ConfigureAwait(false) != Format)
        {
            await ExecuteAsync(index, $"INSERT INTO replies(replies) VALUES ('delete-all'); UPDATE indexed SET last_rowid = 0; PRAGMA user_version = {Format};", cancellationToken).ConfigureAwait(false);
            last = 0;
        }

        if (max == last) return 0;
        var added = 0;
        await using var tx = (SqliteTransaction)await index.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var read = store.CreateCommand())
        await using (var insert = index.CreateCommand())
        {
            read.CommandText = """
                SELECT t.rowid,
                    (SELECT s.rowid FROM samples s WHERE s.run_id = t.run_id AND s.model = t.model AND s.condition_id = t.condition_id AND s.epoch = t.epoch),
                    (SELECT group_concat(COALESCE(json_extract(m.value, '$.text'), '') || ' ' || COALESCE(json_extract(m.value, '$.tool_calls'), ''), char(10))
                     FROM json_each(t.json, '$.messages') m WHERE json_extract(m.value, '$.role') = 'assistant')
                FROM transcripts t WHERE t.rowid > $last ORDER BY t.rowid
                """;
            read.Parameters.AddWithValue("$last", last);
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO replies(rowid, text) VALUES ($id, $text)";
            var id = insert.Parameters.Add("$id", SqliteType.Integer);
            var text = insert.Parameters.Add("$text", SqliteType.Text);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                last = reader.GetInt64(0);
                if (reader.IsDBNull(1)) continue; // no sample row (not written by Keel): nothing a search could list
                id.Value = reader.GetInt64(1);
                text.Value = reader.IsDBNull(2) ? "" : reader.GetString(2);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                added++;
            }
        }

        await using (var mark = index.CreateCommand())
        {
            mark.Transaction = tx;
            mark.CommandText = "UPDATE indexed SET last_rowid = $last";
            mark.Parameters.AddWithValue("$last", last);
            await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return added;
    }

    /// <summary>
    /// The FTS5 query for what a person typed: every word must occur (each quoted, so no character of the input is read
    /// as query syntax); null when there is no word to search.
    /// </summary>
    public static string? MatchExpression(string? search)
    {
        if (string.IsNullOrWhiteSpace(search)) return null;
        var terms = search.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Where(t => t.Any(char.IsLetterOrDigit))
            .Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"")
            .ToList();
        return terms.Count == 0 ? null : string.Join(' ', terms);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }
}
