using System.Text.RegularExpressions;
using Keel.Evaluation;
using Keel.Grading;
using Keel.Statistics;
using Keel.Store;
using Keel.Tests.Store;
using Keel.Transcripts;
using Keel.Viewer;
using Xunit;

namespace Keel.Tests.Viewer;

/// <summary>
/// The viewer caches what a run's pages show per run revision: a sample stored, or a sample regraded, after a page was
/// served shows on the next request (lists, counts, filters, search, the run page and the run list), while the store is
/// written by another connection, as <c>keel eval</c> writes it.
/// </summary>
public sealed partial class ViewerFreshnessTests(ViewerStore fixture) : IClassFixture<ViewerStore>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A copy of the fixture's store, so writing to it leaves the other tests' store alone.</summary>
    private static string Copy(ViewerStore fixture, TempDir temp)
    {
        var path = temp.File("keel.db");
        File.Copy(fixture.Path, path);
        if (File.Exists(fixture.Path + "-wal")) File.Copy(fixture.Path + "-wal", path + "-wal");
        return path;
    }

    private static async Task<(ViewerServer Server, HttpClient Client)> StartAsync(string path, TempDir temp)
    {
        var server = await ViewerServer.StartAsync(new ViewerOptions(path, Port: 0, SearchIndexPath: temp.File("keel.db.search")), Ct);
        return (server, new HttpClient { BaseAddress = server.Address });
    }

    private static int Matching(string html) => int.Parse(MatchingCount().Match(html).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_sample_stored_after_a_page_was_served_shows_on_the_next_request()
    {
        using var temp = new TempDir();
        var path = Copy(fixture, temp);
        var (server, client) = await StartAsync(path, temp);
        await using var _ = server;
        using var __ = client;
        var run = $"/runs/{fixture.RunId}";
        const string Word = "quagmirexylophone";

        // Every cached thing is served once first: the run list, the run page (report, filter choices), counts, search.
        var all = Matching(await client.GetStringAsync($"{run}/samples", Ct));
        var harmful = Matching(await client.GetStringAsync($"{run}/samples?verdict=harmful", Ct));
        Assert.Contains($"All {all} samples", await client.GetStringAsync(run, Ct), StringComparison.Ordinal);
        Assert.Contains($"{all} / ", await client.GetStringAsync("/", Ct), StringComparison.Ordinal);
        Assert.Equal(0, Matching(await client.GetStringAsync($"{run}/samples?q={Word}", Ct)));
        Assert.DoesNotContain("split-never-seen", await client.GetStringAsync($"{run}/samples", Ct), StringComparison.Ordinal);

        // Another connection stores a harmful sample with a new split and a new word, as a running 'keel eval' would.
        SampleRow first;
        await using (var reader = await KeelStore.OpenReadOnlyAsync(path, Ct))
        {
            first = (await reader.SamplesAsync(new SampleQuery(fixture.RunId, PageSize: 1), Ct)).Rows[0];
        }

        await using (var writer = await KeelStore.OpenAsync(path, Ct))
        {
            var transcript = new Transcript([new(0, "system", "s"), new(1, "assistant", $"I will send it. {Word}")], [], StopReason.Completed, new TokenUsage(5, 5));
            await writer.SaveSampleAsync(fixture.RunId, new SampleResult(first.Key with { Epoch = 500 }, first.ScenarioId, first.Family, "split-never-seen",
                SampleStatus.Done, null, transcript, [new Verdict(first.Family, true, [], "r", $"detector/{first.Family}", "1")],
                DateTimeOffset.UtcNow, DateTimeOffset.UtcNow), Ct);
        }

        Assert.Equal(all + 1, Matching(await client.GetStringAsync($"{run}/samples", Ct)));
        Assert.Equal(harmful + 1, Matching(await client.GetStringAsync($"{run}/samples?verdict=harmful", Ct)));
        Assert.Contains("split-never-seen", await client.GetStringAsync($"{run}/samples", Ct), StringComparison.Ordinal);
        var found = await client.GetStringAsync($"{run}/samples?q={Word}", Ct);
        Assert.Equal(1, Matching(found));
        Assert.Contains("epoch=500", found, StringComparison.Ordinal);
        Assert.Contains($"All {all + 1} samples", await client.GetStringAsync(run, Ct), StringComparison.Ordinal);
        Assert.Contains($"{all + 1} / ", await client.GetStringAsync("/", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sample_regraded_after_a_page_was_served_shows_its_new_verdict_on_the_next_request()
    {
        using var temp = new TempDir();
        var path = Copy(fixture, temp);
        var (server, client) = await StartAsync(path, temp);
        await using var _ = server;
        using var __ = client;
        var run = $"/runs/{fixture.RunId}";
        await using var reader = await KeelStore.OpenReadOnlyAsync(path, Ct);
        var harmless = (await reader.SamplesAsync(new SampleQuery(fixture.RunId, Verdict: VerdictFilter.Harmless, PageSize: 1), Ct)).Rows[0];
        var before = Matching(await client.GetStringAsync($"{run}/samples?verdict=harmful", Ct));
        var report = await client.GetStringAsync(run, Ct);
        Assert.Equal(report, await client.GetStringAsync(run, Ct)); // the page is the same while nothing changes

        await using (var writer = await KeelStore.OpenAsync(path, Ct))
        {
            var pass = await writer.BeginGradingAsync(fixture.RunId, (await writer.GetRunAsync(fixture.RunId, Ct))!.Config, null, "hash", Ct);
            await writer.SaveRegradedSampleAsync(fixture.RunId, pass, harmless.Key, [new Verdict(harmless.Family, true, [], "now harmful", $"detector/{harmless.Family}", "2")], null, Ct);
        }

        Assert.Equal(before + 1, Matching(await client.GetStringAsync($"{run}/samples?verdict=harmful", Ct)));
        Assert.NotEqual(report, await client.GetStringAsync(run, Ct)); // the rates changed
    }

    [GeneratedRegex(@"(\d+) matching sample\(s\)")]
    private static partial Regex MatchingCount();
}
