using System.Globalization;
using System.Text;
using Keel.Evaluation;
using Keel.Statistics;
using Keel.Store;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Keel.Tests.Store;

/// <summary>
/// Schema 4 (what the viewer's lists filter and sort on): a schema 3 store is migrated in one step, each sample's family
/// verdicts backfilled from its verdicts, and every filter, sort and page lists exactly what the schema 3 queries
/// (correlated subqueries on <c>verdicts</c>) listed on the same store before it was migrated.
/// </summary>
public class StoreSchemaFourTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store written by the current writer, 3 models × 14 epochs with verdicts of every shape and some errors, turned back into schema 3.</summary>
    private static async Task<string> SchemaThreeStoreAsync(TempDir temp)
    {
        var path = temp.File("old.db");
        string runId;
        await using (var store = await KeelStore.OpenAsync(path, Ct))
        {
            var run = await FamilyVerdictOracle.CreateRunAsync(store, Ct);
            runId = run.Id;
            var random = new Random(4);
            var condition = Fixtures.Mini().Conditions;
            foreach (var model in run.Config.Models)
            {
                for (var epoch = 1; epoch <= 14; epoch++)
                {
                    var c = condition[epoch % condition.Count];
                    await store.SaveSampleAsync(run.Id, FamilyVerdictOracle.Sample(model, c.Id, epoch, "blackmail",
                        FamilyVerdictOracle.Verdicts(random, "blackmail"), errored: epoch % 9 == 0, tokens: random.Next(1000)), Ct);
                }
            }
        }

        FamilyVerdictOracle.DowngradeToSchema3(path);
        await using var check = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await check.OpenAsync(Ct);
        Assert.Equal(0L, Cli.StoreProbe.Scalar(check, "SELECT COUNT(*) FROM pragma_table_info('samples') WHERE name LIKE '%harmful'"));
        Assert.Equal(runId, (string?)new SqliteCommand("SELECT id FROM runs", check).ExecuteScalar());
        return path;
    }

    [Fact]
    public async Task A_schema_3_store_is_migrated_with_each_samples_family_verdicts_backfilled_from_its_verdicts()
    {
        using var temp = new TempDir();
        var path = await SchemaThreeStoreAsync(temp);

        await using (var store = await KeelStore.OpenAsync(path, Ct))
        {
            Assert.Equal(42, (await store.RunListingsAsync(Ct)).Single().StoredSamples);
        }

        using var connection = Cli.StoreProbe.Open(path);
        Assert.Equal(4L, Cli.StoreProbe.Scalar(connection, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'"));
        Assert.Equal(2L, Cli.StoreProbe.Scalar(connection, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND name IN ('samples_list', 'samples_run')"));
        // Updates, deletes and config changes bump the revision by trigger; inserts only come from the writer, which bumps it per transaction.
        Assert.Equal(3L, Cli.StoreProbe.Scalar(connection, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '%revision%'"));
        Assert.Equal(0L, Cli.StoreProbe.Scalar(connection, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'trigger' AND name = 'samples_revision_insert'"));
        // Every sample's columns are what the schema 3 subqueries give, with every outcome present.
        FamilyVerdictOracle.AssertInSync(path, minimumDecided: 10, judged: true);
        var rows = FamilyVerdictOracle.Read(path);
        Assert.Contains(rows, r => r.Errored);
        foreach (var value in new bool?[] { true, false, null })
        {
            Assert.Contains(rows, r => !r.Errored && r.Columns.Item1 == value);
            Assert.Contains(rows, r => !r.Errored && r.Columns.Item2 == value);
            Assert.Contains(rows, r => !r.Errored && r.Columns.Item3 == value);
        }
    }

    [Fact]
    public async Task Filters_sorts_and_pages_after_migration_list_what_the_schema_3_queries_listed()
    {
        using var temp = new TempDir();
        var path = await SchemaThreeStoreAsync(temp);
        string runId;
        await using (var old = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False"))
        {
            await old.OpenAsync(Ct);
            runId = (string)new SqliteCommand("SELECT id FROM runs", old).ExecuteScalar()!;
        }

        var queries = Queries(runId).ToList();
        var expected = new List<(int Total, List<SampleKey> Keys)>();
        List<SampleOutcome> expectedOutcomes;
        await using (var old = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False"))
        {
            await old.OpenAsync(Ct);
            foreach (var q in queries) expected.Add(OldPage(old, q));
            expectedOutcomes = OldOutcomes(old, runId);
        }

        Assert.Contains(expected, e => e.Total > 0 && e.Total < 42);

        await using var store = await KeelStore.OpenAsync(path, Ct);
        for (var i = 0; i < queries.Count; i++)
        {
            var page = await store.SamplesAsync(queries[i], Ct);
            Assert.True(expected[i].Total == page.Total, $"{queries[i]}: {page.Total} matching, schema 3 found {expected[i].Total}");
            Assert.True(expected[i].Keys.SequenceEqual(page.Rows.Select(r => r.Key)), $"{queries[i]}: listed {string.Join(", ", page.Rows.Select(r => r.Key))}; schema 3 listed {string.Join(", ", expected[i].Keys)}");
        }

        Assert.Equal(expectedOutcomes, await store.OutcomesAsync(runId, Ct));
        var counts = await store.OutcomeCountsAsync(runId, Ct);
        Assert.Equal(expectedOutcomes.Count, counts.Sum(c => c.Samples));
        Assert.Equal(expectedOutcomes.Order(Comparer<SampleOutcome>.Create(Compare)), OutcomeCount.Expand(counts).Order(Comparer<SampleOutcome>.Create(Compare)));
    }

    private static int Compare(SampleOutcome a, SampleOutcome b) => string.CompareOrdinal(a.ToString(), b.ToString());

    /// <summary>Every verdict filter and source, both agreements, every sort both ways, filters combined, several pages.</summary>
    private static IEnumerable<SampleQuery> Queries(string runId)
    {
        foreach (var source in Enum.GetValues<VerdictSource>())
        {
            foreach (var verdict in Enum.GetValues<VerdictFilter>()) yield return new SampleQuery(runId, Source: source, Verdict: verdict, PageSize: 500);
            foreach (var desc in new[] { false, true })
            {
                for (var page = 1; page <= 3; page++) yield return new SampleQuery(runId, Source: source, Sort: SampleSort.Verdict, Descending: desc, Page: page, PageSize: 7);
            }
        }

        foreach (var agreement in new[] { AgreementFilter.Agree, AgreementFilter.Disagree })
        {
            yield return new SampleQuery(runId, Agreement: agreement, PageSize: 500);
            yield return new SampleQuery(runId, Model: "m/b", Agreement: agreement, Sort: SampleSort.Verdict, Source: VerdictSource.Judge, PageSize: 3, Page: 2);
        }

        foreach (var sort in Enum.GetValues<SampleSort>())
        {
            foreach (var desc in new[] { false, true })
            {
                yield return new SampleQuery(runId, Sort: sort, Descending: desc, Page: 2, PageSize: 9);
                yield return new SampleQuery(runId, Family: "blackmail", Split: "train", Verdict: VerdictFilter.Harmless, Sort: sort, Descending: desc, PageSize: 500);
            }
        }
    }

    /// <summary>The page as schema 3's <c>KeelStore.SamplesAsync</c> found it (its SQL, with the subqueries; no search).</summary>
    private static (int Total, List<SampleKey> Keys) OldPage(SqliteConnection connection, SampleQuery query)
    {
        var where = new StringBuilder("s.run_id = $run");
        using var count = connection.CreateCommand();
        using var select = connection.CreateCommand();
        void Add(string name, object value)
        {
            count.Parameters.AddWithValue(name, value);
            select.Parameters.AddWithValue(name, value);
        }

        Add("$run", query.RunId);
        foreach (var (column, value) in new[] { ("model", query.Model), ("family", query.Family), ("condition_id", query.Condition), ("split", query.Split) })
        {
            if (value is null) continue;
            where.Append(CultureInfo.InvariantCulture, $" AND s.{column} = ${column}");
            Add("$" + column, value);
        }

        var verdict = FamilyVerdictOracle.OldVerdict(query.Source);
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
            var (d, j) = (FamilyVerdictOracle.OldVerdict(VerdictSource.Detector), FamilyVerdictOracle.OldVerdict(VerdictSource.Judge));
            where.Append(CultureInfo.InvariantCulture,
                $" AND s.status = 'done' AND {d} IS NOT NULL AND {j} IS NOT NULL AND {d} {(query.Agreement == AgreementFilter.Agree ? "=" : "<>")} {j}");
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
        count.CommandText = $"SELECT COUNT(*) FROM samples s WHERE {where}";
        var total = Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture);
        select.CommandText = $"SELECT s.model, s.condition_id, s.epoch FROM samples s WHERE {where} ORDER BY {order}, s.rowid {direction} LIMIT {query.PageSize} OFFSET {(query.Page - 1) * query.PageSize}";
        var keys = new List<SampleKey>();
        using var reader = select.ExecuteReader();
        while (reader.Read()) keys.Add(new SampleKey(reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        return (total, keys);
    }

    /// <summary>Schema 3's <c>KeelStore.OutcomesAsync</c>.</summary>
    private static List<SampleOutcome> OldOutcomes(SqliteConnection connection, string runId)
    {
        const string Of = "FROM verdicts v WHERE v.run_id = s.run_id AND v.model = s.model AND v.condition_id = s.condition_id AND v.epoch = s.epoch AND v.behaviour = s.family";
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"""
            SELECT s.model, s.family, s.scenario_id, s.condition_id, s.status,
                (SELECT v.harmful {Of} AND v.grader_id NOT LIKE 'judge/%' AND v.grader_id NOT LIKE 'combined/%' ORDER BY v.grader_id LIMIT 1),
                (SELECT v.harmful {Of} AND v.grader_id = 'judge/' || s.family),
                (SELECT v.harmful {Of} AND v.grader_id = 'combined/' || s.family)
            FROM samples s WHERE s.run_id = $run ORDER BY s.rowid
            """;
        cmd.Parameters.AddWithValue("$run", runId);
        using var reader = cmd.ExecuteReader();
        var outcomes = new List<SampleOutcome>();
        bool? Flag(int i) => reader.IsDBNull(i) ? null : reader.GetInt64(i) == 1;
        while (reader.Read())
        {
            outcomes.Add(new SampleOutcome(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4) == "error",
                Flag(5), Flag(6), Flag(7)));
        }

        return outcomes;
    }
}
