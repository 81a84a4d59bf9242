using Keel.Grading;
using Keel.Statistics;
using Keel.Store;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Keel.Tests.Store;

/// <summary>
/// The reply index (FTS5 sidecar) is keyed by the samples' rowids, so a search is a rowid lookup: a common word is counted
/// and paged without joining every match through <c>transcripts</c>; an index of the older format (keyed by transcript
/// rowids), or one that is ahead of its store, is emptied and built again.
/// </summary>
public class ReplyIndexTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(string Path, string RunId)> StoreAsync(TempDir temp, int samples)
    {
        var path = temp.File("k.db");
        await using var store = await KeelStore.OpenAsync(path, Ct);
        var run = await FamilyVerdictOracle.CreateRunAsync(store, Ct);
        for (var epoch = 1; epoch <= samples; epoch++)
        {
            await store.SaveSampleAsync(run.Id, FamilyVerdictOracle.Sample("m/a", Fixtures.MiniCondition().Id, epoch, "blackmail",
                [new Verdict("blackmail", epoch % 2 == 0, [], "d", "detector/blackmail", "1")]), Ct);
        }

        return (path, run.Id);
    }

    private static async Task<SamplePage> SearchAsync(string path, string index, SampleQuery query)
    {
        await using var reader = await KeelStore.OpenReadOnlyAsync(path, Ct);
        await reader.AttachReplyIndexAsync(index, Ct);
        return await reader.SamplesAsync(query, Ct);
    }

    [Fact]
    public async Task A_word_every_reply_has_is_counted_paged_and_filtered_like_any_list()
    {
        using var temp = new TempDir();
        var (path, runId) = await StoreAsync(temp, 30);
        var index = temp.File("k.db.search");
        Assert.Equal(30, await ReplyIndex.UpdateAsync(path, index, Ct));

        var page = await SearchAsync(path, index, new SampleQuery(runId, Search: "reply", Verdict: VerdictFilter.Harmful, Sort: SampleSort.Tokens, Descending: true, Page: 2, PageSize: 4));

        Assert.Equal(15, page.Total);
        Assert.Equal([22, 20, 18, 16], page.Rows.Select(r => r.Key.Epoch)); // tokens = 10 + epoch; harmful = even epochs
    }

    [Fact]
    public async Task An_index_of_the_older_format_is_built_again_keyed_by_sample()
    {
        using var temp = new TempDir();
        var (path, runId) = await StoreAsync(temp, 5);
        var index = temp.File("k.db.search");
        // The format before: documents keyed by transcript rowids, no format number; here a document names the wrong sample.
        await using (var old = new SqliteConnection($"Data Source={index};Pooling=False"))
        {
            await old.OpenAsync(Ct);
            await using var cmd = old.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE indexed (id INTEGER PRIMARY KEY CHECK (id = 1), last_rowid INTEGER NOT NULL);
                CREATE VIRTUAL TABLE replies USING fts5(text, content='');
                INSERT INTO indexed VALUES (1, 5);
                INSERT INTO replies(rowid, text) VALUES (1, 'stale words');
                """;
            await cmd.ExecuteNonQueryAsync(Ct);
        }

        Assert.Equal(5, await ReplyIndex.UpdateAsync(path, index, Ct));

        Assert.Equal(0, (await SearchAsync(path, index, new SampleQuery(runId, Search: "stale"))).Total);
        var found = await SearchAsync(path, index, new SampleQuery(runId, Search: "reply 3"));
        Assert.Equal(3, Assert.Single(found.Rows).Key.Epoch);
        Assert.Equal(0, await ReplyIndex.UpdateAsync(path, index, Ct)); // up to date: nothing indexed again
    }

    [Fact]
    public async Task An_index_ahead_of_its_store_is_emptied_and_built_again()
    {
        using var temp = new TempDir();
        var (bigger, _) = await StoreAsync(temp, 8);
        var index = temp.File("shared.search");
        Assert.Equal(8, await ReplyIndex.UpdateAsync(bigger, index, Ct));
        using var other = new TempDir();
        var (smaller, runId) = await StoreAsync(other, 3);

        Assert.Equal(3, await ReplyIndex.UpdateAsync(smaller, index, Ct));

        Assert.Equal(3, (await SearchAsync(smaller, index, new SampleQuery(runId, Search: "reply"))).Total);
        using var connection = Cli.StoreProbe.Open(index);
        Assert.Equal(3L, Cli.StoreProbe.Scalar(connection, "SELECT COUNT(*) FROM replies_docsize")); // the bigger store's documents are gone
    }
}
