using Keel.Agents;
using Keel.Evaluation;
using Keel.Grading;
using Keel.Store;
using Keel.Transcripts;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Keel.Tests.Store;

public class KeelStoreTests
{
    private static readonly Keel.Suites.Suite Mini = Fixtures.Mini();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RunRecord NewRun() => RunFactory.Create(new EvalConfig("mini", ["reference/aligned"], 2, 9, new AgentOptions()), Mini);

    private static SampleResult Result(SampleKey key, SampleStatus status, bool? harmful)
    {
        var transcript = new Transcript([new(0, "system", "s")], [], status == SampleStatus.Done ? StopReason.Completed : StopReason.Error, new TokenUsage(10, 5));
        IReadOnlyList<Verdict> verdicts = status == SampleStatus.Done ? [new Verdict("blackmail", harmful, [], "r", "detector/blackmail", "1")] : [];
        return new SampleResult(key, "bm", "blackmail", "", status, status == SampleStatus.Error ? "boom" : null, transcript, verdicts,
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task A_run_round_trips_with_everything_that_reproduces_it()
    {
        using var temp = new TempDir();
        await using var store = await KeelStore.OpenAsync(temp.File("k.db"), Ct);
        var run = NewRun();
        await store.CreateRunAsync(run, Ct);

        var back = await store.GetRunAsync(run.Id, Ct);

        Assert.NotNull(back);
        Assert.Equal(run.Config with { Models = [], Agent = run.Config.Agent }, back.Config with { Models = [] });
        Assert.Equal(run.Config.Models, back.Config.Models);
        Assert.Equal(run.SuiteHash, back.SuiteHash);
        Assert.Equal(run.ScenarioHashes, back.ScenarioHashes);
        Assert.Equal(run.KeelVersion, back.KeelVersion);
        Assert.Equal(run.PlannedSamples, back.PlannedSamples);
        Assert.Equal(4, back.PlannedSamples);
    }

    [Fact]
    public async Task A_retried_sample_replaces_its_error_instead_of_adding_a_row()
    {
        using var temp = new TempDir();
        await using var store = await KeelStore.OpenAsync(temp.File("k.db"), Ct);
        var run = NewRun();
        await store.CreateRunAsync(run, Ct);
        var key = new SampleKey("reference/aligned", "bm/replacement", 1);

        await store.SaveSampleAsync(run.Id, Result(key, SampleStatus.Error, null), Ct);
        Assert.Empty(await store.DoneSampleKeysAsync(run.Id, Ct));
        await store.SaveSampleAsync(run.Id, Result(key, SampleStatus.Done, true), Ct);

        var outcome = Assert.Single(await store.OutcomesAsync(run.Id, Ct));
        Assert.False(outcome.Errored);
        Assert.True(outcome.Harmful);
        Assert.Equal(key, Assert.Single(await store.DoneSampleKeysAsync(run.Id, Ct)));
        Assert.NotNull(await store.TranscriptAsync(run.Id, key, Ct));
    }

    [Fact]
    public async Task An_undecided_verdict_is_read_back_as_undecided()
    {
        using var temp = new TempDir();
        await using var store = await KeelStore.OpenAsync(temp.File("k.db"), Ct);
        var run = NewRun();
        await store.CreateRunAsync(run, Ct);

        await store.SaveSampleAsync(run.Id, Result(new SampleKey("reference/aligned", "bm/replacement", 1), SampleStatus.Done, null), Ct);

        Assert.Null(Assert.Single(await store.OutcomesAsync(run.Id, Ct)).Harmful);
    }

    [Fact]
    public async Task A_store_from_a_newer_keel_is_refused_with_a_clear_message()
    {
        using var temp = new TempDir();
        var path = temp.File("k.db");
        await (await KeelStore.OpenAsync(path, Ct)).DisposeAsync();
        await using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE meta SET value = '99' WHERE key = 'schema_version'";
            cmd.ExecuteNonQuery();
        }

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => KeelStore.OpenAsync(path, Ct));
        Assert.Contains("newer Keel", ex.Message);
    }

    [Fact]
    public async Task Samples_saved_concurrently_are_all_stored_whole()
    {
        using var temp = new TempDir();
        await using var store = await KeelStore.OpenAsync(temp.File("k.db"), Ct);
        var run = NewRun();
        await store.CreateRunAsync(run, Ct);
        var keys = Enumerable.Range(1, 300).Select(i => new SampleKey("reference/aligned", "bm/replacement", i)).ToList();

        await Task.WhenAll(keys.Select(k => Task.Run(() => store.SaveSampleAsync(run.Id, Result(k, SampleStatus.Done, k.Epoch % 2 == 0), Ct), Ct)));

        Assert.Equal(keys.ToHashSet(), (await store.DoneSampleKeysAsync(run.Id, Ct)).ToHashSet());
        var outcomes = await store.OutcomesAsync(run.Id, Ct);
        Assert.Equal(300, outcomes.Count);
        Assert.Equal(150, outcomes.Count(o => o.Harmful == true));
        foreach (var k in keys) Assert.NotNull(await store.TranscriptAsync(run.Id, k, Ct));
    }

    [Fact]
    public async Task A_sample_that_cannot_be_written_fails_alone_and_leaves_nothing_behind()
    {
        using var temp = new TempDir();
        await using var store = await KeelStore.OpenAsync(temp.File("k.db"), Ct);
        var run = NewRun();
        await store.CreateRunAsync(run, Ct);
        var bad = new SampleKey("reference/aligned", "bm/replacement", 1000);
        var good = Result(bad, SampleStatus.Done, true);
        // Two verdicts from one grader break the verdicts table's primary key.
        var broken = good with { Verdicts = [good.Verdicts[0], good.Verdicts[0]] };
        var keys = Enumerable.Range(1, 50).Select(i => new SampleKey("reference/aligned", "bm/replacement", i)).ToList();

        var saves = keys.Select(k => store.SaveSampleAsync(run.Id, Result(k, SampleStatus.Done, false), Ct)).ToList();
        var failing = store.SaveSampleAsync(run.Id, broken, Ct);
        saves.AddRange(keys.Select(k => store.SaveSampleAsync(run.Id, Result(k with { Epoch = k.Epoch + 50 }, SampleStatus.Done, false), Ct)));

        await Assert.ThrowsAsync<SqliteException>(() => failing);
        await Task.WhenAll(saves);
        var done = await store.DoneSampleKeysAsync(run.Id, Ct);
        Assert.Equal(100, done.Count);
        Assert.DoesNotContain(bad, done);
        Assert.Null(await store.TranscriptAsync(run.Id, bad, Ct));
    }

    [Fact]
    public async Task A_save_cancelled_before_it_is_written_stores_nothing()
    {
        using var temp = new TempDir();
        await using var store = await KeelStore.OpenAsync(temp.File("k.db"), Ct);
        var run = NewRun();
        await store.CreateRunAsync(run, Ct);
        var key = new SampleKey("reference/aligned", "bm/replacement", 1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SaveSampleAsync(run.Id, Result(key, SampleStatus.Done, true), new CancellationToken(true)));

        Assert.Empty(await store.DoneSampleKeysAsync(run.Id, Ct));
    }

    [Fact]
    public async Task A_cached_response_is_read_back_once_set_and_survives_reopening()
    {
        using var temp = new TempDir();
        var path = temp.File("k.db");
        await using (var store = await KeelStore.OpenAsync(path, Ct))
        {
            Assert.Null(await store.GetAsync("k1", Ct));
            await store.SetAsync("k1", "m", "{\"a\":1}", Ct);
            Assert.Equal("{\"a\":1}", await store.GetAsync("k1", Ct));
            await store.SetAsync("k1", "m", "{\"a\":2}", Ct);
            Assert.Equal("{\"a\":2}", await store.GetAsync("k1", Ct));
        }

        await using var reopened = await KeelStore.OpenAsync(path, Ct);
        Assert.Equal("{\"a\":2}", await reopened.GetAsync("k1", Ct));
    }
}
