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
}
