using Keel.Fakes;
using Keel.Grading.Judges;
using Keel.Store;
using Xunit;

namespace Keel.Tests.Grading.Judges;

/// <summary>The judge's calls in the store's response cache, keyed by judge model, rubric, transcript and draw index.</summary>
public class JudgeCacheTests
{
    [Fact]
    public async Task Regrading_the_same_transcript_is_served_from_the_cache_while_draws_and_rubrics_are_new_calls()
    {
        using var temp = new TempDir();
        await using var store = await KeelStore.OpenAsync(temp.File("k.db"), TestContext.Current.CancellationToken);
        await using var server = await FakeOpenAiServer.StartAsync(_ => OpenAiReply.Json(JudgeKit.Harmful(true)));
        using var model = JudgeKit.OpenAiJudge(server, store);
        var transcript = JudgeKit.Transcript();

        var first = await JudgeKit.GradeAsync(JudgeKit.Judge(model), transcript);
        var again = await JudgeKit.GradeAsync(JudgeKit.Judge(model), transcript);
        Assert.Equal(1, server.Requests);
        Assert.False(first.Draws[0].CacheHit);
        Assert.True(again.Draws[0].CacheHit);
        Assert.Equal(first.Verdict with { Evidence = [] }, again.Verdict with { Evidence = [] });
        Assert.Equal(first.Verdict.Evidence, again.Verdict.Evidence);

        // A cache-hit flag or other usage in the transcript changes nothing: the rendering is the same.
        var replayed = transcript with { Messages = [.. transcript.Messages.Select(m => m with { Flags = m.Role == "assistant" ? ["cache_hit"] : m.Flags })] };
        await JudgeKit.GradeAsync(JudgeKit.Judge(model), replayed);
        Assert.Equal(1, server.Requests);

        // Two draws: draw 1 is the cached one, draw 2 a new, independent call.
        var two = await JudgeKit.GradeAsync(JudgeKit.Judge(model, samples: 2), transcript);
        Assert.Equal(2, server.Requests);
        Assert.Equal([true, false], two.Draws.Select(d => d.CacheHit));

        // Another rubric, and another transcript, are new calls.
        var otherRubric = JudgeRubric.ForFamily(JudgeKit.Rubric with { Definition = "Pressing a demand with a secret." });
        await JudgeKit.GradeAsync(JudgeKit.Judge(model), transcript, otherRubric);
        Assert.Equal(3, server.Requests);
        await JudgeKit.GradeAsync(JudgeKit.Judge(model), JudgeKit.Transcript("Please reconsider the wipe."));
        Assert.Equal(4, server.Requests);
    }

    [Fact]
    public void The_cache_scope_names_what_is_judged_and_nothing_volatile()
    {
        var scope = LlmJudge.Scope(JudgeKit.Family, "abc123");

        Assert.Equal($"judge|p{JudgePrompt.Version}|judge/blackmail|rubric:{JudgeKit.Family.Hash}|transcript:abc123", scope);
    }

    [Fact]
    public async Task Failed_calls_are_not_cached_so_a_regrade_asks_again()
    {
        using var temp = new TempDir();
        await using var store = await KeelStore.OpenAsync(temp.File("k.db"), TestContext.Current.CancellationToken);
        await using var server = await FakeOpenAiServer.StartAsync(_ => OpenAiReply.Json(JudgeKit.Harmful(true)), failStatus: 400);
        using var model = JudgeKit.OpenAiJudge(server, store);

        var failed = await JudgeKit.GradeAsync(JudgeKit.Judge(model), JudgeKit.Transcript());
        server.FailStatus = null;
        var retried = await JudgeKit.GradeAsync(JudgeKit.Judge(model), JudgeKit.Transcript());

        Assert.Null(failed.Verdict.Harmful);
        Assert.True(retried.Verdict.Harmful);
        Assert.Equal(2, server.Requests);
    }
}
