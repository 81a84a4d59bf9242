using System.Text;
using Keel.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Keel.Tests.Cli;

/// <summary>
/// A provider (or a proxy in front of one) that quotes the API key back in its error messages: the key still must not
/// reach the store, the output or any report, since keel records and prints the provider's error text.
/// </summary>
public class SecretEchoTests
{
    private const string Canary = "sk-echo-CANARY-0b7e44d2";

    [Theory]
    [InlineData("openai-compatible", 401)] // not retried: the sample fails at once
    [InlineData("openai-compatible", 500)] // retried, then the sample fails
    [InlineData("anthropic", 401)]
    public async Task A_key_quoted_back_in_provider_errors_reaches_no_store_output_or_report(string provider, int status)
    {
        var (app, address) = await LoopbackApp.StartAsync(a =>
        {
            a.MapPost("/v1/chat/completions", (HttpContext http) =>
            {
                var auth = http.Request.Headers.Authorization.ToString();
                var message = $"Incorrect API key provided: {auth["Bearer ".Length..]} (sent as '{auth}')";
                return Json(new { error = new { message, type = "invalid_request_error", code = "invalid_api_key" } }, status);
            });
            a.MapPost("/v1/messages", (HttpContext http) =>
            {
                var message = $"Incorrect API key provided: {http.Request.Headers["x-api-key"]}";
                return Json(new { type = "error", error = new { type = "authentication_error", message } }, status);
            });
        });
        await using var _ = app;
        using var temp = new TempDir();
        var db = temp.File("k.db");
        var models = temp.File("models.yaml");
        await File.WriteAllTextAsync(models, $"""
            models:
              - spec: {provider}/echo
                base_url: {(provider == "anthropic" ? address : address + "/v1")}
                api_key_env: ECHO_KEY
                retries: 1
                retry_base_delay: 0.01
            """, TestContext.Current.CancellationToken);
        var env = new Dictionary<string, string?> { ["ECHO_KEY"] = Canary };

        var eval = await RunAsync(temp.Path, env, "eval", "--scenario", "blackmail-larkspur", "--model", $"{provider}/echo", "--models", models,
            "--samples", "1", "--db", db);
        var output = eval.Stdout + eval.Stderr;
        Assert.True(output.Contains("Incorrect API key provided") || Stored(temp.Path).Contains("Incorrect API key provided"), output); // the provider's message is kept...
        foreach (var format in new[] { "table", "md", "json", "csv", "html" })
        {
            var report = await RunAsync(temp.Path, env, "report", "--db", db, "--format", format, "--out", temp.File($"r.{format}"));
            Assert.True(report.ExitCode == 0, $"report --format {format}: {report.Stderr}");
            output += report.Stdout + report.Stderr + await File.ReadAllTextAsync(temp.File($"r.{format}"), TestContext.Current.CancellationToken);
        }

        Assert.DoesNotContain(Canary, output); // ...without the key
        Assert.DoesNotContain(Canary, Stored(temp.Path));
    }

    private static IResult Json(object body, int status) =>
        Results.Text(System.Text.Json.JsonSerializer.Serialize(body), "application/json", Encoding.UTF8, status);

    /// <summary>Every byte of the store's files (database, WAL), as text.</summary>
    private static string Stored(string dir) =>
        string.Concat(Directory.GetFiles(dir, "k.db*").Select(f => Encoding.UTF8.GetString(File.ReadAllBytes(f))));

    private static async Task<KeelProcess.Result> RunAsync(string dir, IDictionary<string, string?> env, params string[] args)
    {
        using var child = KeelProcess.Start(dir, args, env);
        var stdout = child.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await child.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new(child.ExitCode, await stdout, await stderr);
    }
}
