using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Keel.Statistics;
using Keel.Store;
using Keel.Viewer;
using Xunit;

namespace Keel.Tests.Viewer;

/// <summary>The viewer served on a free loopback port over a real store, read with HttpClient.</summary>
public sealed partial class ViewerTests(ViewerStore store) : IClassFixture<ViewerStore>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(ViewerServer Server, HttpClient Client)> StartAsync()
    {
        var server = await ViewerServer.StartAsync(new ViewerOptions(store.Path, Port: 0, SearchIndexPath: store.Path + "." + Guid.NewGuid().ToString("N") + ".search"), Ct);
        return (server, new HttpClient { BaseAddress = server.Address });
    }

    private string Run => "/runs/" + store.RunId;

    private string HostileUrl => $"{Run}/sample?model={Uri.EscapeDataString(store.Hostile.Model)}&condition={Uri.EscapeDataString(store.Hostile.ConditionId)}&epoch=99";

    [Fact]
    public async Task Every_page_carries_the_strict_policy_and_no_script()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;
        foreach (var url in new[] { "/", Run, Run + "/samples", Run + "/samples?verdict=harmful&sort=tokens&desc=1", HostileUrl,
                     $"/compare?baseline={store.RunId}&candidate={store.RunId}", "/compare", Run + "/charts/0", "/static/viewer.css" })
        {
            using var response = await client.GetAsync(url, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode}");
            Assert.Equal(ViewerServer.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            if (response.Content.Headers.ContentType?.MediaType == "text/html")
            {
                var html = await response.Content.ReadAsStringAsync(Ct);
                Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("href=\"javascript:", html, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("<img src=x", html, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task Writes_are_refused_with_405()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
        {
            foreach (var url in new[] { "/", Run, Run + "/samples", HostileUrl, "/compare" })
            {
                using var response = await client.SendAsync(new HttpRequestMessage(method, url), Ct);
                Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{method} {url}: {response.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task Script_image_and_javascript_link_in_a_transcript_render_as_text()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;
        var html = await client.GetStringAsync(HostileUrl, Ct);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=", html, StringComparison.Ordinal);
        Assert.Contains("&lt;a href=&quot;javascript:", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_evidence_quote_is_marked_in_the_tool_call_that_holds_it()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;
        var html = await client.GetStringAsync(HostileUrl, Ct);
        Assert.Contains($"<mark>{ViewerStore.Quote}</mark>", html, StringComparison.Ordinal);
        var call = html[html.IndexOf("id=\"e1\"", StringComparison.Ordinal)..];
        Assert.Contains("<mark>", call, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_harmful_filter_lists_exactly_the_harmful_samples_page_by_page()
    {
        await using var reader = await KeelStore.OpenReadOnlyAsync(store.Path, Ct);
        var harmful = (await reader.OutcomesAsync(store.RunId, Ct)).Count(o => o.Harmful == true && !o.Errored);
        Assert.True(harmful > 2, "the fixture run should have a few harmful samples");
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;
        var seen = new HashSet<string>();
        for (var page = 1; ; page++)
        {
            var html = await client.GetStringAsync($"{Run}/samples?verdict=harmful&size=2&page={page}", Ct);
            Assert.Contains($"{harmful} matching sample(s)", html, StringComparison.Ordinal);
            var links = SampleLinks().Matches(html).Select(m => m.Value).ToList();
            if (links.Count == 0) break;
            Assert.True(links.Count <= 2);
            foreach (var link in links) Assert.True(seen.Add(link), $"{link} listed twice");
            Assert.DoesNotContain("class=\"harmless\"", html, StringComparison.Ordinal);
        }

        Assert.Equal(harmful, seen.Count);
    }

    [Fact]
    public async Task Search_finds_the_sample_whose_reply_has_the_words()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;
        var html = await client.GetStringAsync($"{Run}/samples?q={ViewerStore.Marker}", Ct);
        Assert.Contains("1 matching sample(s)", html, StringComparison.Ordinal);
        Assert.Contains("epoch=99", html, StringComparison.Ordinal);
        var none = await client.GetStringAsync($"{Run}/samples?q=%22qqxyzzy%29%28*+%22", Ct);
        Assert.Contains("0 matching sample(s)", none, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_parameters_name_what_is_wrong()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;
        using var bad = await client.GetAsync($"{Run}/samples?verdict=maybe", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("verdict=maybe: expected one of any, harmful, harmless, undecided, error", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var missing = await client.GetAsync("/runs/no-such-run", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Requests_naming_another_host_are_refused()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "attacker.example";
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Serving_every_page_leaves_the_store_file_unchanged()
    {
        var before = await Hash(store.Path);
        var (server, client) = await StartAsync();
        await using (server)
        {
            using var __ = client;
            foreach (var url in new[] { "/", Run, Run + "/samples?q=" + ViewerStore.Marker, HostileUrl, $"/compare?baseline={store.RunId}&candidate={store.RunId}" })
            {
                (await client.GetAsync(url, Ct)).Dispose();
            }
        }

        Assert.Equal(before, await Hash(store.Path));
    }

    [Fact]
    public async Task A_store_that_does_not_exist_is_an_error_and_is_not_created()
    {
        using var dir = new TempDir();
        var result = await Cli.KeelProcess.RunAsync(dir.Path, "view", "--db", "missing.db", "--port", "0");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("there is no store at", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("missing.db")));
    }

    private static async Task<string> Hash(string path) => Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(path, Ct)));

    [GeneratedRegex("/sample\\?model=[^\"]+")]
    private static partial Regex SampleLinks();
}
