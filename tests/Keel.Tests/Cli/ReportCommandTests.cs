using System.Text.Json;
using Xunit;

namespace Keel.Tests.Cli;

/// <summary>The real <c>keel report</c> process on runs made by <c>keel eval</c>: every format, comparisons, errors.</summary>
public sealed class ReportCommandTests : IAsyncLifetime
{
    private readonly TempDir _temp = new();
    private string _first = "";
    private string _second = "";

    private string Db => _temp.File("k.db");

    public async ValueTask InitializeAsync()
    {
        _first = await EvalAsync("reference/mixed?p=0.2", "reference/aligned");
        _second = await EvalAsync("reference/mixed?p=0.7");
    }

    public ValueTask DisposeAsync()
    {
        _temp.Dispose();
        return ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData("table", "Rates per model and family")]
    [InlineData("md", "## Rates per model and family")]
    [InlineData("csv", "section,run,model,source,family,condition")]
    [InlineData("json", "\"schema\": \"keel.report/1\"")]
    public async Task A_run_prints_in_every_text_format(string format, string expected)
    {
        var r = await KeelProcess.RunAsync(_temp.Path, "report", "--db", Db, "--run", _first, "--format", format);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains(expected, r.Stdout, StringComparison.Ordinal);
        Assert.Contains("blackmail-larkspur/explicit/replacement", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("reference/aligned", r.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("table", "Summary")]
    [InlineData("md", "| blackmail rate |")]
    [InlineData("csv", "summary,")]
    [InlineData("json", "\"kind\": \"comparison\"")]
    public async Task A_comparison_prints_in_every_text_format(string format, string expected)
    {
        var r = await KeelProcess.RunAsync(_temp.Path, "report", "--db", Db, "--compare", $"{_first}:reference/mixed?p=0.2", _second, "--format", format);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains(expected, r.Stdout, StringComparison.Ordinal);
        Assert.Contains("blackmail", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_run_the_newest_run_is_reported()
    {
        var r = await KeelProcess.RunAsync(_temp.Path, "report", "--db", Db, "--format", "json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal(_second, doc.RootElement.GetProperty("runs")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Two_models_of_one_run_compare_paired_because_they_share_the_seed()
    {
        var r = await KeelProcess.RunAsync(_temp.Path, "report", "--db", Db, "--compare", $"{_first}:reference/mixed?p=0.2", $"{_first}:reference/aligned", "--format", "json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var paired = doc.RootElement.GetProperty("rows").EnumerateArray().Single(row => row.GetProperty("section").GetString() == "paired");
        Assert.Equal(27, paired.GetProperty("n").GetInt32());
        Assert.Equal(0.0, paired.GetProperty("candidate").GetDouble());
    }

    [Fact]
    public async Task Html_goes_to_a_self_contained_file_with_the_charts_inline()
    {
        var r = await KeelProcess.RunAsync(_temp.Path, "report", "--db", Db, "--run", _first, "--format", "html");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var path = _temp.File($"keel-report-{_first}.html");
        Assert.Contains(path, r.Stderr, StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        Assert.Contains("Content-Security-Policy", html, StringComparison.Ordinal);
        Assert.True(html.Split("src=\"data:image/png;base64,").Length - 1 >= 2, "expected at least two embedded charts");
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("there is no run 'nope'", "--run", "nope")]
    [InlineData("has 2 models; name one as", "--compare", "FIRST", "SECOND")]
    [InlineData("has no model 'openai/x'", "--compare", "FIRST:openai/x", "SECOND")]
    [InlineData("no judge verdicts", "--compare", "FIRST:reference/aligned", "SECOND", "--source", "judge")]
    [InlineData("--compare names its two runs itself", "--run", "FIRST", "--compare", "FIRST", "SECOND")]
    [InlineData("the bootstrap needs at least 100 resamples", "--bootstrap", "10")]
    public async Task Bad_requests_say_what_is_wrong_and_exit_2(string message, params string[] args)
    {
        var r = await KeelProcess.RunAsync(_temp.Path, ["report", "--db", Db, .. args.Select(a => a.Replace("FIRST", _first).Replace("SECOND", _second))]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_store_is_not_created()
    {
        var r = await KeelProcess.RunAsync(_temp.Path, "report", "--db", _temp.File("none.db"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("there is no store at", r.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("none.db")));
    }

    private async Task<string> EvalAsync(params string[] models)
    {
        var r = await KeelProcess.RunAsync(_temp.Path, ["eval", "--scenario", "blackmail-larkspur", "--samples", "3", "--seed", "5", "--db", Db, "--json",
            .. models.SelectMany(m => new[] { "--model", m })]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return JsonDocument.Parse(r.Stdout).RootElement.GetProperty("run_id").GetString()!;
    }
}
