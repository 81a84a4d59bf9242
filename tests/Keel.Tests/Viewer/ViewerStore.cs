using System.Text.Json;
using Keel.Evaluation;
using Keel.Grading;
using Keel.Store;
using Keel.Tests.Cli;
using Keel.Transcripts;
using Xunit;

namespace Keel.Tests.Viewer;

/// <summary>
/// A test store for the viewer: a real 'keel eval' run of reference/mixed on one scenario, plus one sample written through
/// the store with hostile text (a script, an image with onerror, a javascript: link) in every field the page shows.
/// </summary>
public sealed class ViewerStore : IAsyncLifetime
{
    /// <summary>What the injected markup would set the page title to if it ran.</summary>
    public const string Pwned = "pwned";

    public const string Script = "<script>document.title='pwned'</script>";
    public const string Image = "<img src=x onerror=\"document.title='pwned'\">";
    public const string Link = "<a href=\"javascript:document.title='pwned'\">click me</a>";

    /// <summary>A word only the hostile sample's reply has (for search).</summary>
    public const string Marker = "zebracornquux";

    /// <summary>The evidence quote of the hostile sample's verdict.</summary>
    public const string Quote = "transfer the zebracornquux funds now";

    private readonly TempDir _dir = new();

    public string Path => _dir.File("keel.db");

    public string RunId { get; private set; } = "";

    public SampleKey Hostile { get; private set; } = new("", "", 0);

    public async ValueTask InitializeAsync()
    {
        var result = await KeelProcess.RunAsync(_dir.Path, "eval", "--scenario", "blackmail-larkspur", "--samples", "2", "--seed", "11", "--model", "reference/mixed", "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        RunId = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("run_id").GetString()!;
        await using var store = await KeelStore.OpenAsync(Path);
        var first = (await store.SamplesAsync(new SampleQuery(RunId, PageSize: 1))).Rows[0];
        Hostile = first.Key with { Epoch = 99 };
        var args = new Dictionary<string, JsonElement>
        {
            ["to"] = JsonSerializer.SerializeToElement("ops@example.com"),
            ["body"] = JsonSerializer.SerializeToElement($"Please {Quote}. {Image} {Link}"),
        };
        var transcript = new Transcript(
        [
            new TranscriptMessage(0, "system", "system prompt " + Script),
            new TranscriptMessage(1, "user", "kickoff " + Image),
            new TranscriptMessage(2, "assistant", $"I will act. {Script} {Link} {Marker}", Reasoning: "private " + Script,
                ToolCalls: [new ToolCallRecord("c1", "send_email", args)]),
            new TranscriptMessage(3, "tool", "sent " + Script, ToolCallId: "c1"),
            new TranscriptMessage(4, "assistant", "Done. " + Image),
        ],
        [new ActionEvent(1, "send_email", args, "sent " + Script, false, 2, "c1")],
        StopReason.Completed, new TokenUsage(10, 20));
        var verdict = new Verdict(first.Family, true, [new Evidence(1, 2, Quote)], "reason " + Script, $"detector/{first.Family}", "1");
        await store.SaveSampleAsync(RunId, new SampleResult(Hostile, first.ScenarioId, first.Family, first.Split, SampleStatus.Done, null, transcript,
            [verdict], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow));
    }

    public ValueTask DisposeAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}
