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
/// Queries the viewer reads: the run list, one page of a run's samples, one sample whole. Filters and sorts read the
/// samples' own columns (their family verdicts included), which the <c>samples_list</c> index covers: a count or a
/// page's rowids never read the samples table, and never a verdict. A page is found in two steps: the page's rowids
/// (filtered and sorted), then those rows.
/// </summary>
public sealed partial class KeelStore
{

    /// <summary>Every run with its models, sample counts and cost, newest first.</summary>
    public async Task<IReadOnlyList<RunListing>> RunListingsAsync(CancellationToken cancellationToken = default) =>
        await WithGateAsync(() => ListingsAsync(null, cancellationToken), cancellationToken).ConfigureAwait(false);

    /// <summary>One run's line of the run list; null when there is no such run.</summary>
    public async Task<RunListing?> RunListingAsync(string runId, CancellationToken cancellationToken = default) =>
        (await WithGateAsync(() => ListingsAsync(runId, cancellationToken), cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    private async Task<IReadOnlyList<RunListing>> ListingsAsync(string? runId, CancellationToken cancellationToken)
    {
        var runs = new List<RunListing>();
        await using var cmd = Command($"""
            SELECT r.id, r.created_at, r.suite_id, r.suite_version, r.config_json, r.planned_samples,
                   COUNT(s.run_id), COALESCE(SUM(s.status = 'error'), 0),
                   COALESCE(SUM(s.cost_usd), 0) + COALESCE(SUM(s.judge_cost_usd), 0),
                   COUNT(s.run_id) - COUNT(s.cost_usd), COUNT(s.judge_calls) - COUNT(s.judge_cost_usd)
            FROM runs r LEFT JOIN samples s ON s.run_id = r.id
            {(runId is null ? "" : "WHERE r.id = $run")}
            GROUP BY r.id
            ORDER BY r.created_at DESC, r.rowid DESC
            """, ("$run", runId));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var config = JsonSerializer.Deserialize<EvalConfig>(reader.GetString(4), TranscriptJson.Options)!;
            var unpriced = reader.GetInt64(9) + reader.GetInt64(10);
            runs.Add(new RunListing(reader.GetString(0), DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture),
                reader.GetString(2), reader.GetString(3), config.Models, reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7),
                unpriced == 0 ? (decimal)reader.GetDouble(8) : null));
        }

        return runs;
    }

    /// <summary>
    /// A run's revision: a number that grows whenever its samples change (stored, replaced, regraded) or its config or
    /// planned samples change (the store's triggers bump it in the writing transaction); null when there is no such run.
    /// Caches of what a run shows key on it: one indexed row read tells whether they still hold.
    /// </summary>
    public async Task<long?> RunRevisionAsync(string runId, CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            await using var cmd = Command("SELECT revision FROM runs WHERE id = $run", ("$run", runId));
            return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long revision ? revision : (long?)null;
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>Every run's id and revision (<see cref="RunRevisionAsync"/>), newest first.</summary>
    public async Task<IReadOnlyList<(string RunId, long Revision)>> RunRevisionsAsync(CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            var runs = new List<(string, long)>();
            await using var cmd = Command("SELECT id, revision FROM runs ORDER BY created_at DESC, rowid DESC");
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) runs.Add((reader.GetString(0), reader.GetInt64(1)));
            return (IReadOnlyList<(string, long)>)runs;
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>The models, families, conditions and splits of a run's stored samples (one pass over the list index).</summary>
    public async Task<RunFacets> FacetsAsync(string runId, CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            var families = new SortedSet<string>(StringComparer.Ordinal);
            var splits = new SortedSet<string>(StringComparer.Ordinal);
            var conditions = new SortedSet<string>(StringComparer.Ordinal);
            var models = new Dictionary<string, long>(StringComparer.Ordinal);
            await using var cmd = Command("""
                SELECT family, split, condition_id, model, MIN(rowid) FROM samples WHERE run_id = $run
                GROUP BY family, split, condition_id, scenario_id, model
                """, ("$run", runId));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                families.Add(reader.GetString(0));
                splits.Add(reader.GetString(1));
                conditions.Add(reader.GetString(2));
                var first = reader.GetInt64(4);
                if (!models.TryGetValue(reader.GetString(3), out var seen) || first < seen) models[reader.GetString(3)] = first;
            }

            return new RunFacets(models.OrderBy(m => m.Value).Select(m => m.Key).ToList(), [.. families], [.. conditions], [.. splits]);
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// One page of a run's samples matching <paramref name="query"/>, and how many match in all
    /// (<see cref="CountSamplesAsync"/> and <see cref="SamplePageAsync"/>). A search needs the reply index attached
    /// (<see cref="AttachReplyIndexAsync"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The query searches but no reply index is attached.</exception>
    public async Task<SamplePage> SamplesAsync(SampleQuery query, CancellationToken cancellationToken = default)
    {
        var total = await CountSamplesAsync(query, cancellationToken).ConfigureAwait(false);
        return new SamplePage(await SamplePageAsync(query, cancellationToken).ConfigureAwait(false), total);
    }

    /// <summary>How many of a run's samples match <paramref name="query"/>'s filters and search (its order and page aside).</summary>
    /// <exception cref="InvalidOperationException">The query searches but no reply index is attached.</exception>
    public async Task<int> CountSamplesAsync(SampleQuery query, CancellationToken cancellationToken = default)
    {
        var (where, parameters) = Filter(query);
        return await WithGateAsync(async () =>
        {
            await using var count = Command($"SELECT COUNT(*) FROM samples s WHERE {where}", [.. parameters]);
            return Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The samples on <paramref name="query"/>'s page, in its order.</summary>
    /// <exception cref="InvalidOperationException">The query searches but no reply index is attached.</exception>
    public async Task<IReadOnlyList<SampleRow>> SamplePageAsync(SampleQuery query, CancellationToken cancellationToken = default)
    {
        var (where, parameters) = Filter(query);
        var pageSize = Math.Clamp(query.PageSize, 1, 1000);
        var page = Math.Max(1, query.Page);
        var direction = query.Descending ? "DESC" : "ASC";
        var verdict = "s." + VerdictColumn(query.Source);
        var order = query.Sort switch
        {
            SampleSort.Condition => $"s.model {direction}, s.condition_id {direction}, s.epoch {direction}",
            SampleSort.Tokens => $"s.input_tokens + s.output_tokens {direction}",
            SampleSort.Cost => $"s.cost_usd {direction}",
            SampleSort.Calls => $"s.model_calls {direction}",
            SampleSort.Verdict => $"CASE WHEN s.status = 'error' THEN -2 ELSE COALESCE({verdict}, -1) END {direction}",
            _ => $"s.rowid {direction}",
        };
        return await WithGateAsync(async () =>
        {
            var ids = new List<long>();
            await using (var select = Command($"SELECT s.rowid FROM samples s WHERE {where} ORDER BY {order}, s.rowid {direction} LIMIT $limit OFFSET $offset",
                [.. parameters, ("$limit", pageSize), ("$offset", (long)(page - 1) * pageSize)]))
            {
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) ids.Add(reader.GetInt64(0));
            }

            if (ids.Count == 0) return (IReadOnlyList<SampleRow>)[];
            var rows = await RowsAsync($"s.rowid IN ({string.Join(',', ids)})", [], cancellationToken).ConfigureAwait(false);
            var byId = rows.ToDictionary(r => r.Id, r => r.Row);
            return ids.Where(byId.ContainsKey).Select(id => byId[id]).ToList();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The WHERE clause of a query's filters and search over samples <c>s</c>, with its parameters.</summary>
    private (string Where, List<(string, object?)> Parameters) Filter(SampleQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var search = ReplyIndex.MatchExpression(query.Search);
        if (search is not null && !_replyIndexAttached)
            throw new InvalidOperationException("searching needs the reply index: call AttachReplyIndexAsync first");
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
        var verdict = "s." + VerdictColumn(query.Source);
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
            where.Append(CultureInfo.InvariantCulture,
                $" AND s.status = 'done' AND s.detector_harmful IS NOT NULL AND s.judge_harmful IS NOT NULL AND s.detector_harmful {(query.Agreement == AgreementFilter.Agree ? "=" : "<>")} s.judge_harmful");
        }

        if (search is not null)
        {
            // The reply index is keyed by the samples' rowids (ReplyIndex), so a match is a rowid lookup, not a join.
            where.Append(" AND s.rowid IN (SELECT rowid FROM search.replies WHERE replies MATCH $search)");
            parameters.Add(("$search", search));
        }

        return (where.ToString(), parameters);
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

    /// <summary>The samples column holding the family verdict of <paramref name="source"/> (1, 0 or NULL).</summary>
    private static string VerdictColumn(VerdictSource source) => source switch
    {
        VerdictSource.Detector => "detector_harmful",
        VerdictSource.Judge => "judge_harmful",
        VerdictSource.Combined => "combined_harmful",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "unknown verdict source"),
    };

    private async Task<List<(long Id, SampleRow Row)>> RowsAsync(string where, (string, object?)[] parameters, CancellationToken cancellationToken)
    {
        var rows = new List<(long, SampleRow)>();
        await using var cmd = Command($"""
            SELECT s.rowid, s.model, s.condition_id, s.epoch, s.scenario_id, s.family, s.split, s.status, s.stop_reason,
                   s.input_tokens + s.output_tokens, s.model_calls, s.cost_usd, s.detector_harmful, s.judge_harmful, s.combined_harmful
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
