using Keel.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Keel.Tests.Cli;

public class TelemetryTests
{
    [Fact]
    public async Task Otel_exports_spans_of_model_calls_over_otlp_without_the_api_key()
    {
        const string key = "sk-otel-canary-77d1";
        var payloads = new List<byte[]>();
        var (collector, address) = await LoopbackApp.StartAsync(app => app.MapPost("/v1/traces", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            lock (payloads) payloads.Add(body.ToArray());
            return Results.Ok();
        }));
        await using var _ = collector;
        await using var server = await FakeOpenAiServer.StartAsync(_ => new("Done."));
        using var temp = new TempDir();

        using var child = KeelProcess.Start(temp.Path,
            ["eval", "--scenario", "blackmail-larkspur", "--model", "openai-compatible/traced", "--base-url", server.BaseUrl, "--samples", "1", "--otel", "--db", temp.File("k.db")],
            new Dictionary<string, string?>
            {
                ["OPENAI_API_KEY"] = key,
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = address,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            });
        var stderr = child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await child.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await child.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(child.ExitCode == 0, await stderr);
        byte[] all;
        lock (payloads) all = payloads.SelectMany(p => p).ToArray();
        var text = System.Text.Encoding.UTF8.GetString(all);
        Assert.Contains("gen_ai", text); // GenAI semantic-convention attributes
        Assert.Contains("traced", text); // the model name
        Assert.DoesNotContain(key, text);
    }
}
