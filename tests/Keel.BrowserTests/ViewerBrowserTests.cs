using Keel.Tests.Viewer;
using Keel.Viewer;
using Microsoft.Playwright;
using Xunit;

namespace Keel.BrowserTests;

/// <summary>
/// keel view in a real headless Chromium: runs → run → filter → transcript with the evidence marked; injected script in a
/// transcript does not run; nothing is fetched from anywhere but the viewer.
/// </summary>
public sealed class ViewerBrowserTests(Chromium chromium, ViewerStore store) : IClassFixture<Chromium>, IClassFixture<ViewerStore>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Runs_to_run_to_filtered_samples_to_a_transcript_with_the_evidence_marked()
    {
        chromium.Require();
        await using var server = await ViewerServer.StartAsync(new ViewerOptions(store.Path, Port: 0, SearchIndexPath: store.Path + ".browser.search"), Ct);
        var (page, blocked, context) = await OpenAsync(server);
        await using var _ = context;

        await page.GotoAsync(server.Address.AbsoluteUri);
        Assert.Equal("Runs · Keel viewer", await page.TitleAsync());
        await page.ClickAsync($"a[href='/runs/{store.RunId}']");
        await page.WaitForURLAsync($"**/runs/{store.RunId}");
        var images = await page.EvaluateAsync<int[]>("() => Array.from(document.images).map(i => i.complete && i.naturalWidth > 100 ? 1 : 0)");
        Assert.True(images.Length >= 2 && images.All(i => i == 1), "every chart of the run page loads");

        await page.SelectOptionAsync("select[name=verdict]", "harmful");
        await page.ClickAsync("form.filters button[type=submit]");
        await page.WaitForURLAsync("**/samples?**verdict=harmful**");
        Assert.Equal(0, await page.Locator("td .harmless").CountAsync());
        var listed = await page.Locator("a.open").CountAsync();
        Assert.True(listed > 0, "the harmful filter lists samples");

        await page.Locator("a.open").First.ClickAsync();
        await page.WaitForURLAsync("**/sample?**");
        var mark = page.Locator("mark").First;
        Assert.True(await mark.IsVisibleAsync(), "the evidence quote is marked where the page shows it");
        Assert.True((await mark.InnerTextAsync()).Length > 3);
        await Screenshot(page, "viewer-transcript");
        Assert.Empty(blocked);
    }

    [Fact]
    public async Task An_injected_script_in_a_transcript_does_not_run()
    {
        chromium.Require();
        await using var server = await ViewerServer.StartAsync(new ViewerOptions(store.Path, Port: 0, SearchIndexPath: store.Path + ".browser2.search"), Ct);
        var (page, blocked, context) = await OpenAsync(server);
        await using var _ = context;
        var dialogs = 0;
        page.Dialog += (_, d) =>
        {
            dialogs++;
            _ = d.DismissAsync();
        };
        var url = new Uri(server.Address, $"/runs/{store.RunId}/sample?model={Uri.EscapeDataString(store.Hostile.Model)}" +
            $"&condition={Uri.EscapeDataString(store.Hostile.ConditionId)}&epoch={store.Hostile.Epoch}");
        await page.GotoAsync(url.AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        foreach (var details in await page.Locator("details").AllAsync()) await details.EvaluateAsync("d => d.open = true");
        await page.Locator("a[href='#e1']").First.ClickAsync();
        await page.WaitForTimeoutAsync(300);

        Assert.NotEqual(ViewerStore.Pwned, await page.TitleAsync());
        var text = await page.InnerTextAsync("main");
        Assert.Contains(ViewerStore.Script, text, StringComparison.Ordinal);
        Assert.Contains(ViewerStore.Image, text, StringComparison.Ordinal);
        Assert.Contains(ViewerStore.Link, text, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("script, main img, a[href^='javascript:']").CountAsync());
        Assert.Equal(0, dialogs);
        Assert.Equal(ViewerStore.Quote, await page.Locator("#e1 mark").First.InnerTextAsync());
        await Screenshot(page, "viewer-injection");
        Assert.Empty(blocked);
    }

    /// <summary>A page that may only reach the viewer itself; every other request is aborted and recorded.</summary>
    private async Task<(IPage Page, List<string> Blocked, IBrowserContext Context)> OpenAsync(ViewerServer server)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = Chromium.Patient(await context.NewPageAsync());
        var blocked = new List<string>();
        await page.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Scheme == "data" || (url.Host == server.Address.Host && url.Port == server.Address.Port)) await route.ContinueAsync();
            else
            {
                blocked.Add(route.Request.Url);
                await route.AbortAsync();
            }
        });
        return (page, blocked, context);
    }

    private static async Task Screenshot(IPage page, string name)
    {
        var artefacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artefacts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artefacts, name + ".png") });
    }
}
