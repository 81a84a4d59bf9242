using Keel.Agents;
using Keel.Evaluation;
using Keel.Store;
using Keel.Transcripts;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Keel.Tests.Store;

/// <summary>The store's side of the response cache: a model call never waits for its entry's commit, yet loses nothing.</summary>
public class ResponseCacheWriteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(KeelStore Store, RunRecord Run)> OpenAsync(string path)
    {
        var store = await KeelStore.OpenAsync(path, Ct);
        var run = RunFactory.Create(new EvalConfig("mini", ["reference/aligned"], 1, 9, new AgentOptions()), Fixtures.Mini());
        await store.CreateRunAsync(run, Ct);
        return (store, run);
    }

    private static SampleResult Sample(int epoch) => new(new SampleKey("reference/aligned", "bm/replacement", epoch), "bm", "blackmail", "",
        SampleStatus.Done, null, new Transcript([new(0, "system", "s")], [], StopReason.Completed, new TokenUsage(1, 1)), [],
        DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    private static async Task<SqliteConnection> ConnectAsync(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync(Ct);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static async Task<string?> CommittedAsync(string path, string key)
    {
        await using var connection = await ConnectAsync(path);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT response_json FROM response_cache WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return await command.ExecuteScalarAsync(Ct) as string;
    }

    [Fact]
    public async Task Setting_an_entry_returns_while_the_database_is_locked_and_a_lookup_sees_it_at_once()
    {
        using var temp = new TempDir();
        var path = temp.File("k.db");
        var (store, run) = await OpenAsync(path);
        await using (store)
        {
            // Another connection holds the write lock, so nothing the store's writer takes up can commit yet.
            await using var blocker = await ConnectAsync(path);
            await ExecuteAsync(blocker, "BEGIN IMMEDIATE");

            var set = store.SetAsync("k1", "m", "{\"a\":1}", Ct);

            Assert.True(set.IsCompletedSuccessfully);
            Assert.Equal("{\"a\":1}", await store.GetAsync("k1", Ct));
            var save = store.SaveSampleAsync(run.Id, Sample(1), Ct);
            await Task.Delay(200, Ct);
            Assert.False(save.IsCompleted);

            await ExecuteAsync(blocker, "ROLLBACK");

            await save;
            Assert.Equal("{\"a\":1}", await CommittedAsync(path, "k1"));
            Assert.Equal("{\"a\":1}", await store.GetAsync("k1", Ct));
        }
    }

    [Fact]
    public async Task An_entry_set_before_a_sample_is_committed_by_the_time_the_sample_is_stored()
    {
        using var temp = new TempDir();
        var path = temp.File("k.db");
        var (store, run) = await OpenAsync(path);
        await using (store)
        {
            for (var i = 0; i < 50; i++) await store.SetAsync($"k{i}", "m", $"{{\"i\":{i}}}", Ct);
            await store.SaveSampleAsync(run.Id, Sample(1), Ct);

            for (var i = 0; i < 50; i++) Assert.Equal($"{{\"i\":{i}}}", await CommittedAsync(path, $"k{i}"));
        }
    }

    [Fact]
    public async Task Entries_still_queued_when_the_store_closes_are_written_before_it_closes()
    {
        using var temp = new TempDir();
        var path = temp.File("k.db");
        var (store, _) = await OpenAsync(path);
        for (var i = 0; i < 200; i++) await store.SetAsync($"k{i}", "m", "{}", Ct);
        await store.DisposeAsync();

        for (var i = 0; i < 200; i++) Assert.Equal("{}", await CommittedAsync(path, $"k{i}"));
    }

    [Fact]
    public async Task A_failed_entry_write_is_counted_by_the_time_its_sample_is_stored_and_fails_no_later_call()
    {
        using var temp = new TempDir();
        var path = temp.File("k.db");
        var (store, run) = await OpenAsync(path);
        await using (store)
        {
            await using (var saboteur = await ConnectAsync(path))
            {
                await ExecuteAsync(saboteur, "CREATE TRIGGER refuse BEFORE INSERT ON response_cache WHEN NEW.key = 'bad' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;");
            }

            var before = store.CacheWriteFailures;
            Assert.Null(before.LastError);
            await store.SetAsync("bad", "m", "{}", Ct);
            await store.SetAsync("good", "m", "{}", Ct);
            await store.SaveSampleAsync(run.Id, Sample(1), Ct);

            var after = store.CacheWriteFailures;
            Assert.Equal(before.Count + 1, after.Count);
            Assert.Contains("disk on fire", after.LastError);
            var warning = Assert.IsType<string>(after.WarningSince(before));
            Assert.Contains("1 response-cache entry was not written", warning);
            Assert.Contains("disk on fire", warning);
            Assert.Null(after.WarningSince(after));

            Assert.Null(await store.GetAsync("bad", Ct));
            Assert.Equal("{}", await store.GetAsync("good", Ct));
            await store.SetAsync("next", "m", "{}", Ct); // an unrelated call is not failed for it
            await store.SaveSampleAsync(run.Id, Sample(2), Ct);
            Assert.Equal("{}", await CommittedAsync(path, "next"));
            Assert.Equal(after, store.CacheWriteFailures);
        }
    }

    [Fact]
    public async Task Long_and_non_ASCII_text_is_stored_byte_for_byte_beside_the_other_values_of_its_statement()
    {
        using var temp = new TempDir();
        var path = temp.File("k.db");
        var (store, run) = await OpenAsync(path);
        var texts = new[] { "", "ascii", "naïve café — 日本語 🚀", string.Concat(Enumerable.Repeat("Ωmega 🚀 ", 3000)) };
        await using (store)
        {
            for (var i = 0; i < texts.Length; i++) await store.SetAsync($"k-{i}-ключ", texts[i], $"{{\"t\":\"{texts[i]}\"}}", Ct);
            await store.SaveSampleAsync(run.Id, Sample(1), Ct);
        }

        await using var connection = await ConnectAsync(path);
        for (var i = 0; i < texts.Length; i++)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT model, response_json, typeof(response_json) FROM response_cache WHERE key = $key";
            command.Parameters.AddWithValue("$key", $"k-{i}-ключ");
            await using var reader = await command.ExecuteReaderAsync(Ct);
            Assert.True(await reader.ReadAsync(Ct));
            Assert.Equal(texts[i], reader.GetString(0));
            Assert.Equal($"{{\"t\":\"{texts[i]}\"}}", reader.GetString(1));
            Assert.Equal("text", reader.GetString(2));
        }
    }
}
