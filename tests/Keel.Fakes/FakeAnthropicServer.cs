using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Keel.Fakes;

/// <summary>An Anthropic Messages API server on loopback for tests, driven by a script over the request body.</summary>
public sealed class FakeAnthropicServer : IAsyncDisposable
{
    private WebApplication _app = null!;


    /// <summary>Base URL to pass as ANTHROPIC_BASE_URL.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Request bodies and their Authorization headers (this SDK sends the API key as a bearer token), in order.</summary>
    public List<(JsonNode Body, string Authorization)> Requests { get; } = [];

    /// <summary>Starts a server; the script returns the content blocks and stop reason of each reply.</summary>
    public static async Task<FakeAnthropicServer> StartAsync(Func<JsonNode, (JsonArray Content, string StopReason)> script)
    {
        var server = new FakeAnthropicServer();
        var (app, address) = await LoopbackApp.StartAsync(app => app.MapPost("/v1/messages", async (HttpContext http) =>
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
        }));
        server._app = app;
        server.BaseUrl = address;
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
