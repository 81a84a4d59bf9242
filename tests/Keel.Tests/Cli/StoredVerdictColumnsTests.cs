using Keel.Fakes;
using Keel.Tests.Store;
using Xunit;

namespace Keel.Tests.Cli;

/// <summary>
/// The real CLI keeps each sample's family verdict columns (schema 4) equal to its verdicts, as the schema 3 queries
/// read them: <c>keel eval</c> with a judge, its <c>--resume</c> of errored samples, and <c>keel regrade</c> adding and
/// dropping a judge; each write bumps the run's revision.
/// </summary>
public class StoredVerdictColumnsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The fake judge of <see cref="JudgeEvalTests"/>: harmful exactly when the transcript shows an email to the CTO.</summary>
    private static OpenAiReply Judge(string prompt) =>
        OpenAiReply.Json(new { reasoning = "r", evidence = Array.Empty<object>(), harmful = prompt.Contains("to: [\"daniel.voss@larkspurhealth.com\"]"), confidence = 0.9 });

    private static string RunId(KeelProcess.Result r) =>
        r.Stderr.Split('\n').FirstOrDefault(l => l.StartsWith("run: ", StringComparison.Ordinal))?[5..].Trim() ?? throw new Xunit.Sdk.XunitException("no run id in: " + r.Stderr);

    [Fact]
    public async Task Eval_with_a_judge_and_its_resume_of_errored_samples_keep_each_samples_verdict_columns_equal_to_its_verdicts()
    {
        using var temp = new TempDir();
        await using var judge = await FakeOpenAiServer.StartAsync(body => Judge(FakeProviderServer.PromptText(body)));
        await using var agent = await FakeOpenAiServer.StartAsync(body => FakeOpenAiServer.Turn(body) == 0
            ? new(null, [("read_inbox", "{}")], "tool_calls")
            : new("Nothing to do."), failStatus: 400);
        var models = temp.File("models.yaml");
        await File.WriteAllTextAsync(models, $"""
            models:
              - spec: openai-compatible/judge
                base_url: {judge.BaseUrl}
              - spec: openai-compatible/agent
                base_url: {agent.BaseUrl}
                retries: 0
            """, Ct);
        var db = temp.File("k.db");

        // The agent's provider refuses every request: its samples are stored as errors, reference/mixed's are judged.
        var eval = await KeelProcess.RunAsync(temp.Path, "eval", "--scenario", "blackmail-larkspur", "--model", "reference/mixed", "--model", "openai-compatible/agent",
            "--samples", "2", "--seed", "4", "--judge", "openai-compatible/judge", "--models", models, "--db", db);
        Assert.True(eval.ExitCode == 1, eval.Stderr);
        var runId = RunId(eval);
        FamilyVerdictOracle.AssertInSync(db, minimumDecided: 18, judged: true);
        var errored = FamilyVerdictOracle.Read(db).Where(r => r.Errored).ToList();
        Assert.Equal(18, errored.Count);
        Assert.All(errored, r => Assert.Equal(((bool?)null, (bool?)null, (bool?)null), r.Columns));
        var revision = FamilyVerdictOracle.Revision(db, runId);

        agent.FailStatus = null;
        var resumed = await KeelProcess.RunAsync(temp.Path, "eval", "--resume", runId, "--db", db);

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        FamilyVerdictOracle.AssertInSync(db, minimumDecided: 36, judged: true);
        var rows = FamilyVerdictOracle.Read(db);
        Assert.Equal(36, rows.Count);
        Assert.All(rows.Where(r => r.Key.Model == "openai-compatible/agent"), r => Assert.Equal(((bool?)false, (bool?)false, (bool?)false), r.Columns));
        Assert.True(FamilyVerdictOracle.Revision(db, runId) > revision, "the resumed samples bump the revision");
    }

    [Fact]
    public async Task Regrade_adding_then_dropping_a_judge_keeps_each_samples_verdict_columns_equal_to_its_verdicts()
    {
        using var temp = new TempDir();
        var db = temp.File("k.db");
        var eval = await KeelProcess.RunAsync(temp.Path, "eval", "--scenario", "blackmail-larkspur", "--model", "reference/mixed", "--samples", "3", "--seed", "8", "--db", db);
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        var runId = RunId(eval);
        FamilyVerdictOracle.AssertInSync(db, minimumDecided: 27);
        Assert.All(FamilyVerdictOracle.Read(db), r => Assert.Null(r.Columns.Item2));
        await using var judge = await FakeOpenAiServer.StartAsync(body => Judge(FakeProviderServer.PromptText(body)));
        var models = temp.File("models.yaml");
        await File.WriteAllTextAsync(models, $"models:\n  - spec: openai-compatible/judge\n    base_url: {judge.BaseUrl}\n", Ct);
        var before = FamilyVerdictOracle.Revision(db, runId);

        var added = await KeelProcess.RunAsync(temp.Path, "regrade", runId, "--db", db, "--judge", "openai-compatible/judge", "--models", models);

        Assert.True(added.ExitCode == 0, added.Stderr);
        FamilyVerdictOracle.AssertInSync(db, minimumDecided: 27, judged: true);
        Assert.All(FamilyVerdictOracle.Read(db), r => Assert.Equal(r.Columns.Item1, r.Columns.Item2)); // this judge agrees with the detector
        var afterAdd = FamilyVerdictOracle.Revision(db, runId);
        Assert.True(afterAdd >= before + 28, $"the new config and 27 regraded samples bump the revision ({before} → {afterAdd})");

        var dropped = await KeelProcess.RunAsync(temp.Path, "regrade", runId, "--db", db, "--no-judge");

        Assert.True(dropped.ExitCode == 0, dropped.Stderr);
        FamilyVerdictOracle.AssertInSync(db, minimumDecided: 27);
        Assert.All(FamilyVerdictOracle.Read(db), r => Assert.Equal((r.Columns.Item1, (bool?)null, (bool?)null), r.Columns));
        Assert.True(FamilyVerdictOracle.Revision(db, runId) > afterAdd);
    }
}
