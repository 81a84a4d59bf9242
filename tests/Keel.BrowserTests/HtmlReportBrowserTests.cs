using System.Text.Json;
using Keel.Reports;
using Keel.Reports.Formats;
using Keel.Statistics;
using Keel.Tests;
using Keel.Tests.Cli;
using Microsoft.Playwright;
using Xunit;

namespace Keel.BrowserTests;

/// <summary>The HTML report opened in a real headless Chromium: charts load, nothing is fetched, injected markup stays text.</summary>
public sealed class HtmlReportBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Run_and_comparison_reports_show_every_chart_and_fetch_nothing()
    {
        chromium.Require();
        using var dir = new TempDir();
        var first = await EvalAsync(dir, "reference/mixed?p=0.2");
        var second = await EvalAsync(dir, "reference/mixed?p=0.7");

        var run = await KeelProcess.RunAsync(dir.Path, "report", "--run", first, "--format", "html", "--out", "run.html");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var compare = await KeelProcess.RunAsync(dir.Path, "report", "--compare", first, second, "--format", "html", "--out", "compare.html");
        Assert.True(compare.ExitCode == 0, compare.Stderr);

        foreach (var (file, charts) in new[] { ("run.html", 2), ("compare.html", 2) })
        {
            var (images, blocked) = await OpenAsync(dir.File(file), Path.GetFileNameWithoutExtension(file));
            Assert.Empty(blocked);
            Assert.Equal(charts, images.Count);
            Assert.All(images, i => Assert.True(i.Complete && i.Width > 100 && i.Height > 100, $"{file}: image {i.Alt} did not load ({i.Width}×{i.Height})"));
        }
    }

    [Fact]
    public async Task Markup_in_condition_and_model_names_renders_as_text_and_never_runs()
    {
        chromium.Require();
        using var dir = new TempDir();
        const string Script = "<script>document.title='pwned'</script>";
        const string Image = "<img src=x onerror=\"document.title='pwned'\">";
        var cells = new[]
        {
            new CellSummary(Script, "blackmail", "s", Image, 10, 3, 0.3, 0.1, 0.6, 0, 0),
            new CellSummary(Script, "blackmail", "s", "javascript:alert(1)", 10, 1, 0.1, 0.02, 0.4, 0, 0),
        };
        var rates = new ModelRates(Script, Aggregates.Of(ConditionCounts.ForModel(cells, Script)), null, null, null, 0, 0);
        var overview = new RunOverview("r1", DateTimeOffset.UnixEpoch, "0", "core", "1", "hash", new Dictionary<string, string>(), 1, [Script], 10, 20, 20, 0, null, null);
        var report = new RunReport(overview, cells, [rates], [], BootstrapOptions.Default);
        var path = dir.File("injected.html");
        await File.WriteAllTextAsync(path, HtmlReport.Write(ReportLayout.Of([report]), ReportCharts.Of([report])), TestContext.Current.CancellationToken);

        await using var context = await chromium.Browser.NewContextAsync();
        var page = Chromium.Patient(await context.NewPageAsync());
        var dialogs = 0;
        page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        await page.GotoAsync(new Uri(path).AbsoluteUri);
        Assert.NotEqual("pwned", await page.TitleAsync());
        var text = await page.InnerTextAsync("body");
        Assert.Contains(Script, text, StringComparison.Ordinal);
        Assert.Contains(Image, text, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("body script, td img, a[href^='javascript:']").CountAsync());
        Assert.Equal(0, dialogs);
    }

    private static async Task<string> EvalAsync(TempDir dir, string model)
    {
        var result = await KeelProcess.RunAsync(dir.Path, "eval", "--scenario", "blackmail-larkspur", "--samples", "3", "--seed", "11", "--model", model, "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        return JsonDocument.Parse(result.Stdout).RootElement.GetProperty("run_id").GetString()!;
    }

    private sealed record LoadedImage(string Alt, bool Complete, int Width, int Height);

    /// <summary>Opens a file, blocking (and recording) any request that is not the file itself or a data: URI; saves a screenshot.</summary>
    private async Task<(IReadOnlyList<LoadedImage> Images, IReadOnlyList<string> Blocked)> OpenAsync(string path, string name)
    {
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = Chromium.Patient(await context.NewPageAsync());
        var blocked = new List<string>();
        await page.RouteAsync("**/*", async route =>
        {
            var url = route.Request.Url;
            if (url.StartsWith("file:", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal)) await route.ContinueAsync();
            else
            {
                blocked.Add(url);
                await route.AbortAsync();
            }
        });
        await page.GotoAsync(new Uri(path).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        var json = await page.EvaluateAsync<JsonElement>(
            "() => Array.from(document.images).map(i => ({ alt: i.alt, complete: i.complete, width: i.naturalWidth, height: i.naturalHeight }))");
        var images = json.EnumerateArray().Select(i => new LoadedImage(i.GetProperty("alt").GetString()!, i.GetProperty("complete").GetBoolean(),
            i.GetProperty("width").GetInt32(), i.GetProperty("height").GetInt32())).ToList();
        var artefacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artefacts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artefacts, name + ".png"), FullPage = true });
        return (images, blocked);
    }
}
