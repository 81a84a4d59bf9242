using Keel.Evaluation;
using Keel.Grading;
using Keel.Grading.Judges;
using Keel.Statistics;
using Keel.Store;
using Xunit;

namespace Keel.Tests.Store;

/// <summary>
/// Schema 4's per-sample family verdict columns and run revisions, written by the store's writers: the sample writer
/// (eval, resume) and the regrade writer keep the columns equal to what the verdicts say, and every change to a run's
/// samples or config bumps its revision and no other run's.
/// </summary>
public class FamilyVerdictColumnsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_writer_stores_the_family_verdicts_the_verdicts_give_for_every_shape_of_grader_id()
    {
        using var temp = new TempDir();
        var path = temp.File("k.db");
        await using (var store = await KeelStore.OpenAsync(path, Ct))
        {
            var run = await FamilyVerdictOracle.CreateRunAsync(store, Ct);
            var random = new Random(11);
            for (var epoch = 1; epoch <= 60; epoch++)
            {
                await store.SaveSampleAsync(run.Id, FamilyVerdictOracle.Sample("m/a", Fixtures.MiniCondition().Id, epoch, "blackmail",
                    FamilyVerdictOracle.Verdicts(random, "blackmail"), errored: epoch % 13 == 0), Ct);
            }

            // A sample stored again (resume after an error, or a retry) replaces its row: its columns follow the new verdicts.
            await store.SaveSampleAsync(run.Id, FamilyVerdictOracle.Sample("m/a", Fixtures.MiniCondition().Id, 13, "blackmail",
                [new("blackmail", true, [], "d", "detector/blackmail", "1"), new("blackmail", false, [], "j", "judge/blackmail", "1")]), Ct);
            var resumed = (await store.SampleAsync(run.Id, new SampleKey("m/a", Fixtures.MiniCondition().Id, 13), Ct))!.Row;
            Assert.Equal((false, (bool?)true, (bool?)false, (bool?)null), (resumed.Errored, resumed.Detector, resumed.Judge, resumed.Combined));
        }

        FamilyVerdictOracle.AssertInSync(path, minimumDecided: 20, judged: true);
    }

    [Fact]
    public async Task A_regraded_sample_gets_the_family_verdicts_of_its_new_verdicts()
    {
        using var temp = new TempDir();
        var path = temp.File("k.db");
        var key = new SampleKey("m/a", Fixtures.MiniCondition().Id, 1);
        await using var store = await KeelStore.OpenAsync(path, Ct);
        var run = await FamilyVerdictOracle.CreateRunAsync(store, Ct);
        await store.SaveSampleAsync(run.Id, FamilyVerdictOracle.Sample(key.Model, key.ConditionId, key.Epoch, "blackmail",
            [new("blackmail", false, [], "d", "detector/blackmail", "1")]), Ct);
        Assert.Equal(0, await store.CountSamplesAsync(new SampleQuery(run.Id, Verdict: VerdictFilter.Harmful), Ct));

        var pass = await store.BeginGradingAsync(run.Id, run.Config, run.Config.ResolvedJudge, run.SuiteHash, Ct);
        await store.SaveRegradedSampleAsync(run.Id, pass, key,
            [new("blackmail", true, [], "d", "detector/blackmail", "2"), new("blackmail", true, [], "j", "judge/blackmail", "1"), new("blackmail", null, [], "c", "combined/blackmail", "1")],
            JudgeUsage.None, Ct);

        var row = (await store.SampleAsync(run.Id, key, Ct))!.Row;
        Assert.Equal(((bool?)true, (bool?)true, (bool?)null), (row.Detector, row.Judge, row.Combined));
        Assert.Equal(1, await store.CountSamplesAsync(new SampleQuery(run.Id, Verdict: VerdictFilter.Harmful), Ct));
        Assert.Equal(1, await store.CountSamplesAsync(new SampleQuery(run.Id, Source: VerdictSource.Combined, Verdict: VerdictFilter.Undecided), Ct));
        Assert.Equal(1, await store.CountSamplesAsync(new SampleQuery(run.Id, Agreement: AgreementFilter.Agree), Ct));

        // Regraded again without a judge: the judge columns empty.
        await store.SaveRegradedSampleAsync(run.Id, pass, key, [new("blackmail", false, [], "d", "detector/blackmail", "2")], null, Ct);
        row = (await store.SampleAsync(run.Id, key, Ct))!.Row;
        Assert.Equal(((bool?)false, (bool?)null, (bool?)null), (row.Detector, row.Judge, row.Combined));
        await store.DisposeAsync();
        FamilyVerdictOracle.AssertInSync(path);
    }

    [Fact]
    public async Task A_runs_revision_grows_with_every_change_to_its_samples_or_config_and_only_its_own()
    {
        using var temp = new TempDir();
        var path = temp.File("k.db");
        await using var store = await KeelStore.OpenAsync(path, Ct);
        var run = await FamilyVerdictOracle.CreateRunAsync(store, Ct);
        var other = await FamilyVerdictOracle.CreateRunAsync(store, Ct);
        var key = new SampleKey("m/a", Fixtures.MiniCondition().Id, 1);
        Verdict[] verdicts = [new("blackmail", false, [], "d", "detector/blackmail", "1")];
        var seen = new List<long> { (await store.RunRevisionAsync(run.Id, Ct))!.Value };
        async Task Changed(string what)
        {
            var now = (await store.RunRevisionAsync(run.Id, Ct))!.Value;
            Assert.True(now > seen[^1], $"{what}: revision stayed {now}");
            seen.Add(now);
        }

        await store.SaveSampleAsync(run.Id, FamilyVerdictOracle.Sample(key.Model, key.ConditionId, key.Epoch, "blackmail", verdicts), Ct);
        await Changed("a sample stored");
        await store.SaveSampleAsync(run.Id, FamilyVerdictOracle.Sample(key.Model, key.ConditionId, key.Epoch, "blackmail", verdicts), Ct);
        await Changed("the sample stored again");
        var pass = await store.BeginGradingAsync(run.Id, run.Config with { Seed = 99 }, null, run.SuiteHash, Ct);
        await Changed("a regrade pass changed the config");
        await store.SaveRegradedSampleAsync(run.Id, pass, key, verdicts, null, Ct);
        await Changed("a sample regraded");
        await store.RaisePlannedSamplesAsync(run.Id, 500, Ct);
        await Changed("more samples planned");
        await store.RaisePlannedSamplesAsync(run.Id, 10, Ct);
        Assert.Equal(seen[^1], await store.RunRevisionAsync(run.Id, Ct)); // not lowered: nothing changed

        Assert.Equal(0L, await store.RunRevisionAsync(other.Id, Ct));
        Assert.Null(await store.RunRevisionAsync("no-such-run", Ct));
        Assert.Equal([(run.Id, seen[^1]), (other.Id, 0L)], (await store.RunRevisionsAsync(Ct)).OrderBy(r => r.Revision == 0));
    }
}
