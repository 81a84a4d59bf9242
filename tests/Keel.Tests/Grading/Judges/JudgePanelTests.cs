using Keel.Fakes;
using Keel.Grading.Judges;
using Keel.Models;
using Xunit;

namespace Keel.Tests.Grading.Judges;

/// <summary>The run's judge: family rubric, combined verdict, extra dimensions and usage for one sample.</summary>
public class JudgePanelTests
{
    private static OpenAiReply Answer(string prompt) => prompt switch
    {
        _ when prompt.Contains("Behaviour: blackmail") => OpenAiReply.Json(JudgeKit.Harmful(true)),
        _ when prompt.Contains("Dimension: dishonesty") => OpenAiReply.Json(JudgeKit.Observed(true)),
        _ when prompt.Contains("Dimension: eval-awareness") => OpenAiReply.Json(JudgeKit.Observed(false)),
        _ when prompt.Contains("Dimension: deliberation") => new OpenAiReply("not json"),
        _ => OpenAiReply.Json(JudgeKit.Score(15)),
    };

    [Fact]
    public async Task A_sample_gets_the_family_verdict_the_combined_one_and_every_dimension_with_usage_and_cost()
    {
        await using var server = await FakeOpenAiServer.StartAsync(body => Answer(FakeProviderServer.PromptText(body)));
        var endpoint = new EndpointConfig("openai/judge-test", Prices: new Prices(2, 8, 2, 0.5m));
        using var model = JudgeKit.OpenAiJudge(server, endpoint: endpoint);
        var settings = new JudgeSettings(endpoint, Dimensions: DimensionCatalogue.Ids);
        // The mini suite has no rubrics: the blackmail rubric comes from the built-in core suite.
        var panel = JudgePanel.Create(model, settings, Fixtures.Mini());

        var judged = await panel.GradeAsync(JudgeKit.Transcript(), "blackmail", JudgeKit.Detector(true), TestContext.Current.CancellationToken);

        Assert.Equal(["judge/blackmail", "combined/blackmail", "judge/dimension/dishonesty", "judge/dimension/eval-awareness",
            "judge/dimension/deliberation", "judge/dimension/ethical-reasoning"], judged.Verdicts.Select(v => v.GraderId));
        var byId = judged.Verdicts.ToDictionary(v => v.GraderId);
        Assert.True(byId["judge/blackmail"].Harmful);
        Assert.Contains("Blackmail is using private, damaging information", FakeProviderServer.PromptText(server.Bodies.First(b => FakeProviderServer.PromptText(b).Contains("Behaviour: blackmail"))));
        Assert.True(byId["combined/blackmail"].Harmful);
        Assert.Equal(("dishonesty", true), (byId["judge/dimension/dishonesty"].Behaviour, byId["judge/dimension/dishonesty"].Harmful));
        Assert.False(byId["judge/dimension/eval-awareness"].Harmful);
        Assert.Null(byId["judge/dimension/deliberation"].Harmful);
        Assert.Equal(15, byId["judge/dimension/ethical-reasoning"].Score);
        Assert.Null(byId["judge/dimension/ethical-reasoning"].Harmful);
        Assert.Equal(8, byId["judge/dimension/dishonesty"].Evidence.Single().MessageIndex);

        Assert.Equal(5, judged.Usage.Calls);
        Assert.Equal(0, judged.Usage.CacheHits);
        Assert.Equal(new Keel.Transcripts.TokenUsage(500, 100), judged.Usage.Tokens);
        Assert.Equal((500 * 2m + 100 * 8m) / 1_000_000m, judged.Usage.CostUsd);
    }

    [Fact]
    public async Task A_family_without_a_rubric_is_undecided_with_the_reason_and_the_combined_verdict_follows_the_policy()
    {
        await using var server = await FakeOpenAiServer.StartAsync(_ => OpenAiReply.Json(JudgeKit.Harmful(true)));
        using var model = JudgeKit.OpenAiJudge(server);
        var panel = new JudgePanel(JudgeKit.Judge(model), Fixtures.Mini(), new Dictionary<string, JudgeRubric>(), [], null);

        var harmful = await panel.GradeAsync(JudgeKit.Transcript(), "blackmail", JudgeKit.Detector(true), TestContext.Current.CancellationToken);
        var harmless = await panel.GradeAsync(JudgeKit.Transcript(), "blackmail", JudgeKit.Detector(false), TestContext.Current.CancellationToken);

        Assert.Equal(0, server.Requests);
        Assert.Null(harmful.Verdicts[0].Harmful);
        Assert.Contains("no judge rubric for family 'blackmail'", harmful.Verdicts[0].Reason);
        Assert.Null(harmful.Verdicts[1].Harmful);
        Assert.False(harmless.Verdicts[1].Harmful);
        Assert.Equal(0, harmful.Usage.Calls);
    }

    [Fact]
    public void Every_dimension_rubric_loads_and_renders()
    {
        foreach (var id in DimensionCatalogue.Ids)
        {
            var rubric = JudgeRubric.ForDimension(DimensionCatalogue.Get(id));
            Assert.StartsWith($"Dimension: {id}\nQuestion:", rubric.Text);
            Assert.Equal($"judge/dimension/{id}", rubric.GraderId);
        }

        var ethics = JudgeRubric.ForDimension(DimensionCatalogue.Get("ethical-reasoning"));
        Assert.Equal(JudgeQuestion.Score, ethics.Question);
        foreach (var factor in new[] { "probability", "severity", "breadth", "reversibility", "consent", "responsibility", "vulnerability" })
        {
            Assert.Contains($"  - {factor}: ", ethics.Text);
        }

        Assert.Contains("thoughtful senior employee", ethics.Text);
        Assert.Equal(["dishonesty", "deliberation"], DimensionCatalogue.Parse(["dishonesty, deliberation", "dishonesty"]));
        Assert.Contains("unknown dimension 'honesty'; dimensions: dishonesty, eval-awareness, deliberation, ethical-reasoning",
            Assert.Throws<ArgumentException>(() => DimensionCatalogue.Parse(["honesty"])).Message);
    }
}
