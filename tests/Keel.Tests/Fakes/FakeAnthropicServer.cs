using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keel.Tests.Fakes;

/// <summary>An Anthropic Messages API server on loopback for tests, driven by a script over the request body.</summary>
public sealed class FakeAnthropicServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeAnthropicServer(WebApplication app) => _app = app;

    /// <summary>Base URL to pass as ANTHROPIC_BASE_URL.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Request bodies and their Authorization headers (this SDK sends the API key as a bearer token), in order.</summary>
    public List<(JsonNode Body, string Authorization)> Requests { get; } = [];

    /// <summary>Starts a server; the script returns the content blocks and stop reason of each reply.</summary>
    public static async Task<FakeAnthropicServer> StartAsync(Func<JsonNode, (JsonArray Content, string StopReason)> script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeAnthropicServer(app);
        app.MapPost("/v1/messages", async (HttpContext http) =>
        {
            var body = (await JsonNode.ParseAsync(http.Request.Body))!;
            lock (server.Requests) server.Requests.Add((body, http.Request.Headers.Authorization.ToString()));
            var (content, stop) = script(body);
            var response = new JsonObject
            {
                ["id"] = "msg_fake",
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = body["model"]?.GetValue<string>() ?? "fake",
                ["content"] = content,
                ["stop_reason"] = stop,
                ["stop_sequence"] = null,
                ["usage"] = new JsonObject { ["input_tokens"] = 50, ["output_tokens"] = 10 },
            };
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(response.ToJsonString());
        });
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return server;
    }

    /// <summary>Assistant turns so far in a request.</summary>
    public static int Turn(JsonNode body) => body["messages"]!.AsArray().Count(m => m?["role"]?.GetValue<string>() == "assistant");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
