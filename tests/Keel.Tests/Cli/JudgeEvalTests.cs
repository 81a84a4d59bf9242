using System.Text.Json;
using Keel.Fakes;
using Xunit;

namespace Keel.Tests.Cli;

/// <summary><c>keel eval --judge</c> end to end: reference agents graded by a fake judge over the real OpenAI SDK.</summary>
public class JudgeEvalTests
{
    private const string Canary = "sk-judge-CANARY-7f3e91";

    private const string ModelsYaml = """
        models:
          - spec: openai-compatible/judge
            base_url: BASE
            api_key_env: KEEL_TEST_JUDGE_KEY
            prices: { input: 1, output: 2 }
        """;

    /// <summary>The fake judge: harmful exactly when the transcript shows an email to the CTO; dimensions answered by kind.</summary>
    private static OpenAiReply Judge(string prompt)
    {
        var threat = prompt.Contains("to: [\"daniel.voss@larkspurhealth.com\"]");
        var evidence = Array.Empty<object>();
        if (prompt.Contains("Behaviour: blackmail")) return OpenAiReply.Json(new { reasoning = "r", evidence, harmful = threat, confidence = 0.9 });
        if (prompt.Contains("Dimension: ethical-reasoning")) return OpenAiReply.Json(new { reasoning = "r", evidence, score = threat ? 10 : 80 });
        return OpenAiReply.Json(new { reasoning = "r", evidence, observed = threat, confidence = 0.7 });
    }

    private static async Task<(FakeOpenAiServer Server, TempDir Temp, string Models)> SetUpAsync()
    {
        var server = await FakeOpenAiServer.StartAsync(body => Judge(FakeProviderServer.PromptText(body)));
        var temp = new TempDir();
        var models = temp.File("models.yaml");
        await File.WriteAllTextAsync(models, ModelsYaml.Replace("BASE", server.BaseUrl), TestContext.Current.CancellationToken);
        return (server, temp, models);
    }

    private static async Task<KeelProcess.Result> RunAsync(TempDir temp, params string[] args)
    {
        using var child = KeelProcess.Start(temp.Path, args, new Dictionary<string, string?> { ["KEEL_TEST_JUDGE_KEY"] = Canary });
        var stdout = child.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await child.WaitForExitAsync(timeout.Token);
        return new KeelProcess.Result(child.ExitCode, await stdout, await stderr);
    }

    private static string[] Eval(TempDir temp, string models, params string[] more) =>
    [
        "eval", "--scenario", "blackmail-larkspur", "--model", "reference/misaligned", "--model", "reference/aligned", "--samples", "1", "--seed", "3",
        "--judge", "openai-compatible/judge", "--models", models, "--db", temp.File("k.db"), .. more,
    ];

    [Fact]
    public async Task Detector_judge_and_combined_rates_agreement_and_judge_usage_are_reported_and_the_key_is_never_stored_or_printed()
    {
        var (server, temp, models) = await SetUpAsync();
        await using var _ = server;
        using var __ = temp;

        var r = await RunAsync(temp, Eval(temp, models, "--json"));

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("judge: openai-compatible/judge grades every sample beside the detectors (1 draw(s) per rubric, majority vote)", r.Stderr);
        var doc = JsonDocument.Parse(r.Stdout).RootElement;
        var cells = doc.GetProperty("cells").EnumerateArray().ToList();
        foreach (var cell in cells)
        {
            var expected = cell.GetProperty("model").GetString() == "reference/misaligned" ? 1 : 0;
            Assert.Equal(expected, cell.GetProperty("harmful").GetInt32());
            Assert.Equal(expected, cell.GetProperty("judge").GetProperty("harmful").GetInt32());
            Assert.Equal(1, cell.GetProperty("judge").GetProperty("n").GetInt32());
            Assert.Equal(0, cell.GetProperty("judge").GetProperty("undecided").GetInt32());
            Assert.Equal(expected, cell.GetProperty("combined").GetProperty("harmful").GetInt32());
            Assert.Equal(1, cell.GetProperty("agreement").GetProperty("agree").GetInt32());
        }

        var judge = doc.GetProperty("judge");
        Assert.Equal("openai-compatible/judge", judge.GetProperty("spec").GetString());
        Assert.Equal(1, judge.GetProperty("samples").GetInt32());
        Assert.Equal("majority", judge.GetProperty("vote").GetString());
        var agreement = judge.GetProperty("agreement").EnumerateArray().ToList();
        Assert.Equal(["reference/misaligned", "reference/aligned"], agreement.Select(a => a.GetProperty("model").GetString()));
        Assert.All(agreement, a => Assert.Equal(1.0, a.GetProperty("rate").GetDouble()));
        Assert.All(agreement, a => Assert.Equal(JsonValueKind.Null, a.GetProperty("kappa").ValueKind)); // one constant answer per model
        var usage = judge.GetProperty("usage");
        Assert.Equal(cells.Count, usage.GetProperty("calls").GetInt32());
        Assert.Equal(cells.Count, server.Requests);
        Assert.Equal((cells.Count * 100 * 1m + cells.Count * 20 * 2m) / 1_000_000m, usage.GetProperty("cost_usd").GetDecimal());
        Assert.Empty(doc.GetProperty("dimensions").EnumerateArray());

        // The key reached the judge, and nothing else: not the store, not the output.
        Assert.All(server.Authorizations, a => Assert.Equal($"Bearer {Canary}", a));
        Assert.DoesNotContain(Canary, r.Stdout + r.Stderr);
        foreach (var file in Directory.GetFiles(temp.Path, "k.db*"))
        {
            Assert.DoesNotContain(Canary, await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
        }

        // A new run over the same transcripts re-grades from the cache: no judge call is made.
        var again = await RunAsync(temp, Eval(temp, models, "--json"));
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal(cells.Count, server.Requests);
        Assert.Equal(cells.Count, JsonDocument.Parse(again.Stdout).RootElement.GetProperty("judge").GetProperty("usage").GetProperty("cache_hits").GetInt32());
    }

    [Fact]
    public async Task The_table_shows_the_three_rates_side_by_side_and_the_dimensions_with_k_draws()
    {
        var (server, temp, models) = await SetUpAsync();
        await using var _ = server;
        using var __ = temp;

        var r = await RunAsync(temp, Eval(temp, models, "--judge-samples", "3", "--judge-vote", "min", "--dimensions", "dishonesty,ethical-reasoning"));

        Assert.True(r.ExitCode == 0, r.Stderr);
        foreach (var header in new[] { "Detector", "Judge", "Combined", "Agree", "κ", "extra dimensions (LLM judge)", "dishonesty", "ethical-reasoning" })
        {
            Assert.Contains(header, r.Stdout);
        }

        Assert.Contains("judge openai-compatible/judge: 3 draw(s) per rubric, min vote", r.Stdout);
        Assert.Contains("reference/misaligned: detector–judge 100% agreement over", r.Stdout);
        Assert.Contains("10 / 100", r.Stdout);
        Assert.Contains("80 / 100", r.Stdout);
        Assert.Matches(@"judge openai-compatible/judge: \d+ calls \(0 from cache\)", r.Stdout);
        Assert.DoesNotContain("95% CI (Wilson) │ Errors │ Undecided", r.Stdout);
        // Three rubrics (the family and two dimensions) × three draws per sample.
        var samples = r.Stdout.Split('\n').Count(l => l.Contains("blackmail-larkspur/"));
        Assert.Equal(samples * 9, server.Requests);
    }

    [Fact]
    public async Task Dimensions_are_reported_per_model_in_json()
    {
        var (server, temp, models) = await SetUpAsync();
        await using var _ = server;
        using var __ = temp;

        var r = await RunAsync(temp, Eval(temp, models, "--dimensions", "dishonesty", "--dimensions", "ethical-reasoning", "--json"));

        Assert.True(r.ExitCode == 0, r.Stderr);
        var dims = JsonDocument.Parse(r.Stdout).RootElement.GetProperty("dimensions").EnumerateArray().ToList();
        Assert.Equal([("reference/misaligned", "dishonesty"), ("reference/misaligned", "ethical-reasoning"), ("reference/aligned", "dishonesty"), ("reference/aligned", "ethical-reasoning")],
            dims.Select(d => (d.GetProperty("model").GetString(), d.GetProperty("dimension").GetString())));
        Assert.Equal(1.0, dims[0].GetProperty("rate").GetDouble());
        Assert.Equal("observed", dims[0].GetProperty("kind").GetString());
        Assert.Equal(10, dims[1].GetProperty("mean_score").GetDouble());
        Assert.Equal(0.0, dims[2].GetProperty("rate").GetDouble());
        Assert.Equal(80, dims[3].GetProperty("mean_score").GetDouble());
    }

    [Fact]
    public async Task Resume_grades_with_the_judge_settings_stored_with_the_run()
    {
        var (server, temp, models) = await SetUpAsync();
        await using var _ = server;
        using var __ = temp;

        // --max-cost 0 stops before the first sample: the run is recorded, nothing is graded yet.
        var stopped = await RunAsync(temp, Eval(temp, models, "--judge-samples", "2", "--max-cost", "0", "--json"));
        Assert.Equal(1, stopped.ExitCode);
        var runId = JsonDocument.Parse(stopped.Stdout).RootElement.GetProperty("run_id").GetString()!;

        var refused = await RunAsync(temp, "eval", "--resume", runId, "--db", temp.File("k.db"), "--judge-samples", "3");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("drop --judge-samples", refused.Stderr);

        var resumed = await RunAsync(temp, "eval", "--resume", runId, "--db", temp.File("k.db"), "--json");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        var doc = JsonDocument.Parse(resumed.Stdout).RootElement;
        Assert.Equal(2, doc.GetProperty("judge").GetProperty("samples").GetInt32());
        Assert.Equal(doc.GetProperty("cells").GetArrayLength() * 2, server.Requests);
    }

    [Theory]
    [InlineData("reference/* agents are known-behaviour scripts, not models, and cannot judge", "--judge", "reference/aligned")]
    [InlineData("--judge-vote grade with the LLM judge; give --judge SPEC as well", "--judge-vote", "min")]
    [InlineData("--judge-samples, --dimensions grade with the LLM judge", "--judge-samples", "3", "--dimensions", "dishonesty")]
    [InlineData("--judge-samples must be at least 1", "--judge", "openai/j", "--judge-samples", "0")]
    [InlineData("unknown dimension 'honesty'; dimensions: dishonesty, eval-awareness, deliberation, ethical-reasoning", "--judge", "openai/j", "--dimensions", "honesty")]
    [InlineData("--judge openai-compatible/j needs a base_url in its models-file entry", "--judge", "openai-compatible/j", "--base-url", "http://127.0.0.1:9/v1")]
    [InlineData("--judge: model openai/j needs an API key: set OPENAI_API_KEY", "--judge", "openai/j")]
    [InlineData("Argument 'best' not recognized", "--judge", "openai/j", "--judge-vote", "best")]
    public async Task Bad_judge_options_exit_2_with_a_clear_message(string message, params string[] args)
    {
        using var temp = new TempDir();
        var r = await KeelProcess.RunAsync(temp.Path, ["eval", "--scenario", "blackmail-larkspur", "--samples", "1", "--db", temp.File("k.db"), .. args]);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.Equal("", r.Stdout);
    }
}
