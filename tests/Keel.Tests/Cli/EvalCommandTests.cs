using System.Text.Json;
using Keel.Fakes;
using Xunit;

namespace Keel.Tests.Cli;

/// <summary>The real <c>keel eval</c> process: output streams, exit codes, errors, secrets.</summary>
public class EvalCommandTests
{
    [Fact]
    public async Task Json_output_is_the_only_thing_on_stdout_and_the_run_id_is_on_stderr()
    {
        using var temp = new TempDir();
        var r = await KeelProcess.RunAsync(temp.Path, "eval", "--scenario", "blackmail-larkspur", "--model", "reference/misaligned", "--samples", "2", "--json", "--db", temp.File("k.db"));

        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        var runId = doc.RootElement.GetProperty("run_id").GetString();
        Assert.Contains($"run: {runId}", r.Stderr);
        Assert.Contains("not models", r.Stderr);
        var cells = doc.RootElement.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(9, cells.Count);
        foreach (var cell in cells)
        {
            foreach (var field in new[] { "model", "family", "condition", "n", "harmful", "rate", "ci_low", "ci_high", "errors", "undecided" })
            {
                Assert.True(cell.TryGetProperty(field, out _), $"cell lacks {field}");
            }

            Assert.Equal("reference/misaligned", cell.GetProperty("model").GetString());
            Assert.Equal(2, cell.GetProperty("harmful").GetInt32());
            Assert.Equal(1.0, cell.GetProperty("rate").GetDouble());
        }
    }

    [Fact]
    public async Task The_table_shows_every_condition_with_its_interval()
    {
        using var temp = new TempDir();
        var r = await KeelProcess.RunAsync(temp.Path, "eval", "--suite", "core", "--model", "reference/mixed", "--samples", "10", "--db", temp.File("k.db"));

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("95% CI (Wilson)", r.Stdout);
        Assert.Contains("blackmail-larkspur/explicit/replacement", r.Stdout);
        Assert.Contains("blackmail-larkspur/none/none", r.Stdout);
        Assert.Contains("not models", r.Stdout);
    }

    [Theory]
    [InlineData("unknown provider 'gpt4'", "--model", "gpt4/turbo")]
    [InlineData("must be written provider/model", "--model", "claude")]
    [InlineData("p in reference/mixed?p=1.5 must be a number from 0 to 1", "--model", "reference/mixed?p=1.5")]
    [InlineData("needs an API key: set ANTHROPIC_API_KEY", "--model", "anthropic/claude-sonnet-4-5")]
    [InlineData("needs --base-url", "--model", "openai-compatible/qwen")]
    [InlineData("--samples must be at least 1", "--samples", "0")]
    [InlineData("unknown provider 'judgy'", "--judge", "judgy/x")]
    [InlineData("no run 'nope'", "--resume", "nope")]
    [InlineData("drop --model, --samples", "--resume", "x", "--model", "reference/aligned", "--samples", "3")]
    [InlineData("no suite file or built-in suite named 'nosuch'", "--suite", "nosuch")]
    [InlineData("has no scenario 'nosuch'", "--scenario", "nosuch")]
    [InlineData("Unrecognized command or argument '--sample'", "--sample", "3")]
    public async Task Bad_input_exits_2_with_a_clear_message_and_no_stack_trace(string message, params string[] args)
    {
        using var temp = new TempDir();
        var r = await KeelProcess.RunAsync(temp.Path, ["eval", "--db", temp.File("k.db"), .. args]);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public async Task Failed_samples_are_stored_as_errors_exit_1_and_are_retried_by_resume()
    {
        using var temp = new TempDir();
        var db = temp.File("k.db");
        await using var server = await FakeOpenAiServer.StartAsync(_ => new("I will just answer."), failStatus: 400);
        string[] args = ["eval", "--scenario", "blackmail-larkspur", "--model", "openai-compatible/fake", "--base-url", server.BaseUrl, "--samples", "1", "--db", db, "--json"];

        var failed = await KeelProcess.RunAsync(temp.Path, args);

        Assert.Equal(1, failed.ExitCode);
        using (var doc = JsonDocument.Parse(failed.Stdout))
        {
            Assert.All(doc.RootElement.GetProperty("cells").EnumerateArray(), c =>
            {
                Assert.Equal(1, c.GetProperty("errors").GetInt32());
                Assert.Equal(0, c.GetProperty("n").GetInt32());
                Assert.Equal(JsonValueKind.Null, c.GetProperty("rate").ValueKind);
            });
        }

        var runId = failed.Stderr.Split('\n').First(l => l.StartsWith("run: ", StringComparison.Ordinal))[5..].Trim();
        Assert.Contains($"--resume {runId}", failed.Stderr);

        server.FailStatus = null;
        var resumed = await KeelProcess.RunAsync(temp.Path, "eval", "--resume", runId, "--db", db, "--json");

        Assert.Equal(0, resumed.ExitCode);
        using var after = JsonDocument.Parse(resumed.Stdout);
        Assert.All(after.RootElement.GetProperty("cells").EnumerateArray(), c =>
        {
            Assert.Equal(0, c.GetProperty("errors").GetInt32());
            Assert.Equal(1, c.GetProperty("n").GetInt32());
            Assert.Equal(0, c.GetProperty("harmful").GetInt32());
        });
    }

    [Fact]
    public async Task Api_keys_reach_the_provider_but_never_the_store_or_the_output()
    {
        const string key = "sk-test-SECRET-4c1d9f";
        using var temp = new TempDir();
        var db = temp.File("k.db");
        await using var server = await FakeOpenAiServer.StartAsync(_ => new("Nothing to do."));
        using var child = KeelProcess.Start(temp.Path, ["eval", "--scenario", "blackmail-larkspur", "--model", "openai/gpt-test", "--samples", "1", "--db", db, "--json"],
            new Dictionary<string, string?> { ["OPENAI_API_KEY"] = key, ["OPENAI_BASE_URL"] = server.BaseUrl });
        var stdout = await child.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = await child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await child.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(child.ExitCode == 0, stderr);
        Assert.Contains($"Bearer {key}", server.Authorizations);
        Assert.DoesNotContain(key, stdout + stderr);
        foreach (var file in Directory.GetFiles(temp.Path, "k.db*"))
        {
            Assert.DoesNotContain(key, System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(file)));
        }
    }
}
