using System.Globalization;
using System.Text;
using System.Text.Json;
using Keel.Evaluation;
using Keel.Grading;
using Keel.Statistics;
using Keel.Transcripts;
using Microsoft.Data.Sqlite;

namespace Keel.Store;

/// <summary>
/// Queries the viewer reads: the run list, one page of a run's samples, one sample whole. A page is found in two steps
/// (the page's rowids first, filtered and sorted on the samples table's primary-key range, then the page's rows with
/// their verdicts), so a verdict is looked up only for the rows shown unless a filter or the order needs it.
/// </summary>
public sealed partial class KeelStore
{
    private const string SameSample = "v.run_id = s.run_id AND v.model = s.model AND v.condition_id = s.condition_id AND v.epoch = s.epoch";

    /// <summary>Every run with its models, sample counts and cost, newest first.</summary>
    public async Task<IReadOnlyList<RunListing>> RunListingsAsync(CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            var runs = new List<RunListing>();
            await using var cmd = Command("""
                SELECT r.id, r.created_at, r.suite_id, r.suite_version, r.config_json, r.planned_samples,
                       COUNT(s.run_id), COALESCE(SUM(s.status = 'error'), 0),
                       COALESCE(SUM(s.cost_usd), 0) + COALESCE(SUM(s.judge_cost_usd), 0),
                       COUNT(s.run_id) - COUNT(s.cost_usd), COUNT(s.judge_calls) - COUNT(s.judge_cost_usd)
                FROM runs r LEFT JOIN samples s ON s.run_id = r.id
                GROUP BY r.id
                ORDER BY r.created_at DESC, r.rowid DESC
                """);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var config = JsonSerializer.Deserialize<EvalConfig>(reader.GetString(4), TranscriptJson.Options)!;
                var unpriced = reader.GetInt64(9) + reader.GetInt64(10);
                runs.Add(new RunListing(reader.GetString(0), DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture),
                    reader.GetString(2), reader.GetString(3), config.Models, reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7),
                    unpriced == 0 ? (decimal)reader.GetDouble(8) : null));
            }

            return (IReadOnlyList<RunListing>)runs;
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// A value that changes whenever a run's samples or verdicts change: the number of its samples and verdicts and the
    /// sum of the verdicts' grading passes (a regrade rewrites verdicts without adding samples). Caches of a run's
    /// report key on it.
    /// </summary>
    public async Task<(long Samples, long Verdicts, long Gradings)> RunFingerprintAsync(string runId, CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            await using var cmd = Command("""
                SELECT (SELECT COUNT(*) FROM samples WHERE run_id = $run), COUNT(*), COALESCE(SUM(grading_id), 0)
                FROM verdicts WHERE run_id = $run
                """, ("$run", runId));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>The models, families, conditions and splits of a run's stored samples.</summary>
    public async Task<RunFacets> FacetsAsync(string runId, CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            async Task<IReadOnlyList<string>> Distinct(string column, string order)
            {
                var values = new List<string>();
                await using var cmd = Command($"SELECT {column} FROM samples WHERE run_id = $run GROUP BY {column} ORDER BY {order}", ("$run", runId));
                await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) values.Add(reader.GetString(0));
                return values;
            }

            return new RunFacets(await Distinct("model", "MIN(rowid)").ConfigureAwait(false), await Distinct("family", "family").ConfigureAwait(false),
                await Distinct("condition_id", "condition_id").ConfigureAwait(false), await Distinct("split", "split").ConfigureAwait(false));
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// One page of a run's samples matching <paramref name="query"/>, and how many match in all. A search needs the
    /// reply index attached (<see cref="AttachReplyIndexAsync"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The query searches but no reply index is attached.</exception>
    public async Task<SamplePage> SamplesAsync(SampleQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var search = ReplyIndex.MatchExpression(query.Search);
        if (search is not null && !_replyIndexAttached)
            throw new InvalidOperationException("searching needs the reply index: call AttachReplyIndexAsync first");
        var pageSize = Math.Clamp(query.PageSize, 1, 1000);
        var page = Math.Max(1, query.Page);
        return await WithGateAsync(async () =>
        {
            var where = new StringBuilder("s.run_id = $run");
            var parameters = new List<(string, object?)> { ("$run", query.RunId) };
            void Equal(string column, string name, string? value)
            {
                if (value is null) return;
                where.Append(CultureInfo.InvariantCulture, $" AND {column} = {name}");
                parameters.Add((name, value));
            }

            Equal("s.model", "$model", query.Model);
            Equal("s.family", "$family", query.Family);
            Equal("s.condition_id", "$condition", query.Condition);
            Equal("s.split", "$split", query.Split);
            var verdict = VerdictOf(query.Source);
            where.Append(query.Verdict switch
            {
                VerdictFilter.Harmful => $" AND s.status = 'done' AND {verdict} = 1",
                VerdictFilter.Harmless => $" AND s.status = 'done' AND {verdict} = 0",
                VerdictFilter.Undecided => $" AND s.status = 'done' AND {verdict} IS NULL",
                VerdictFilter.Error => " AND s.status = 'error'",
                _ => "",
            });
            if (query.Agreement != AgreementFilter.Any)
            {
                var (d, j) = (VerdictOf(VerdictSource.Detector), VerdictOf(VerdictSource.Judge));
                where.Append(CultureInfo.InvariantCulture,
                    $" AND s.status = 'done' AND {d} IS NOT NULL AND {j} IS NOT NULL AND {d} {(query.Agreement == AgreementFilter.Agree ? "=" : "<>")} {j}");
            }

            if (search is not null)
            {
                where.Append(" AND (s.model, s.condition_id, s.epoch) IN (SELECT t.model, t.condition_id, t.epoch FROM transcripts t " +
                    "WHERE t.run_id = $run AND t.rowid IN (SELECT rowid FROM search.replies WHERE replies MATCH $search))");
                parameters.Add(("$search", search));
            }

            var direction = query.Descending ? "DESC" : "ASC";
            var order = query.Sort switch
            {
                SampleSort.Condition => $"s.model {direction}, s.condition_id {direction}, s.epoch {direction}",
                SampleSort.Tokens => $"s.input_tokens + s.output_tokens {direction}",
                SampleSort.Cost => $"s.cost_usd {direction}",
                SampleSort.Calls => $"s.model_calls {direction}",
                SampleSort.Verdict => $"CASE WHEN s.status = 'error' THEN -2 ELSE COALESCE({verdict}, -1) END {direction}",
                _ => $"s.rowid {direction}",
            };

            int total;
            await using (var count = Command($"SELECT COUNT(*) FROM samples s WHERE {where}", [.. parameters]))
            {
                total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }

            var ids = new List<long>();
            await using (var select = Command($"SELECT s.rowid FROM samples s WHERE {where} ORDER BY {order}, s.rowid {direction} LIMIT $limit OFFSET $offset",
                [.. parameters, ("$limit", pageSize), ("$offset", (long)(page - 1) * pageSize)]))
            {
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) ids.Add(reader.GetInt64(0));
            }

            if (ids.Count == 0) return new SamplePage([], total);
            var rows = await RowsAsync($"s.rowid IN ({string.Join(',', ids)})", [], cancellationToken).ConfigureAwait(false);
            var byId = rows.ToDictionary(r => r.Id, r => r.Row);
            return new SamplePage(ids.Where(byId.ContainsKey).Select(id => byId[id]).ToList(), total);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One stored sample with its transcript and every grader's verdict; null when it is not stored.</summary>
    public async Task<StoredSample?> SampleAsync(string runId, SampleKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return await WithGateAsync(async () =>
        {
            (string, object?)[] id = [("$run", runId), ("$model", key.Model), ("$condition", key.ConditionId), ("$epoch", key.Epoch)];
            const string Key = "run_id = $run AND model = $model AND condition_id = $condition AND epoch = $epoch";
            var rows = await RowsAsync("s." + Key.Replace(" AND ", " AND s.", StringComparison.Ordinal), id, cancellationToken).ConfigureAwait(false);
            if (rows.Count == 0) return null;
            string? error;
            await using (var cmd = Command($"SELECT error FROM samples WHERE {Key}", id))
            {
                error = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
            }

            Transcript? transcript;
            await using (var cmd = Command($"SELECT json FROM transcripts WHERE {Key}", id))
            {
                transcript = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? TranscriptJson.Deserialize(json) : null;
            }

            var verdicts = new List<Verdict>();
            await using (var cmd = Command($"SELECT behaviour, harmful, evidence_json, reason, grader_id, grader_version, score, confidence FROM verdicts WHERE {Key} ORDER BY grader_id", id))
            {
                await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    verdicts.Add(new Verdict(reader.GetString(0), Flag(reader, 1),
                        JsonSerializer.Deserialize<List<Evidence>>(reader.GetString(2), TranscriptJson.Options) ?? [],
                        reader.GetString(3), reader.GetString(4), reader.GetString(5),
                        reader.IsDBNull(6) ? null : reader.GetDouble(6), reader.IsDBNull(7) ? null : reader.GetDouble(7)));
                }
            }

            return new StoredSample(rows[0].Row, error, transcript, verdicts);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Attaches the reply index at <paramref name="indexPath"/> (built by <see cref="ReplyIndex.UpdateAsync"/>) to this
    /// store's connection, read-only, so <see cref="SamplesAsync"/> can search. Attaching twice does nothing.
    /// </summary>
    public async Task AttachReplyIndexAsync(string indexPath, CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            if (_replyIndexAttached) return;
            await using var cmd = Command("ATTACH DATABASE $path AS search", ("$path", indexPath));
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            _replyIndexAttached = true;
        }, cancellationToken).ConfigureAwait(false);

    private bool _replyIndexAttached;

    /// <summary>The family verdict of sample <c>s</c> under <paramref name="source"/>, as a SQL expression (1, 0 or NULL).</summary>
    private static string VerdictOf(VerdictSource source) => source switch
    {
        VerdictSource.Judge => $"(SELECT v.harmful FROM verdicts v WHERE {SameSample} AND v.grader_id = 'judge/' || s.family)",
        VerdictSource.Combined => $"(SELECT v.harmful FROM verdicts v WHERE {SameSample} AND v.grader_id = 'combined/' || s.family)",
        _ => $"(SELECT v.harmful FROM verdicts v WHERE {SameSample} AND v.behaviour = s.family AND v.grader_id NOT LIKE 'judge/%' " +
             "AND v.grader_id NOT LIKE 'combined/%' ORDER BY v.grader_id LIMIT 1)",
    };

    private async Task<List<(long Id, SampleRow Row)>> RowsAsync(string where, (string, object?)[] parameters, CancellationToken cancellationToken)
    {
        var rows = new List<(long, SampleRow)>();
        await using var cmd = Command($"""
            SELECT s.rowid, s.model, s.condition_id, s.epoch, s.scenario_id, s.family, s.split, s.status, s.stop_reason,
                   s.input_tokens + s.output_tokens, s.model_calls, s.cost_usd,
                   {VerdictOf(VerdictSource.Detector)}, {VerdictOf(VerdictSource.Judge)}, {VerdictOf(VerdictSource.Combined)}
            FROM samples s WHERE {where}
            """, parameters);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add((reader.GetInt64(0), new SampleRow(new SampleKey(reader.GetString(1), reader.GetString(2), reader.GetInt32(3)),
                reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7) == "error", reader.GetString(8),
                reader.GetInt64(9), reader.GetInt64(10), reader.IsDBNull(11) ? null : (decimal)reader.GetDouble(11),
                Flag(reader, 12), Flag(reader, 13), Flag(reader, 14))));
        }

        return rows;
    }
}
