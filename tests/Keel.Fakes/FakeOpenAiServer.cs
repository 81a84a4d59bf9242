using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Keel.Fakes;

/// <summary>
/// An OpenAI-compatible chat completions server on loopback for tests. Each request is answered by a
/// script: given the request body, return the assistant message (text and/or tool calls).
/// The real OpenAI SDK talks to it through its base-URL override.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private WebApplication _app = null!;
    private int _requests;


    /// <summary>Base URL to pass as --base-url (ends with /v1).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>When set, every request fails with this HTTP status.</summary>
    public int? FailStatus { get; set; }

    /// <summary>Authorization headers received (to prove keys are sent, never stored).</summary>
    public List<string> Authorizations { get; } = [];

    /// <summary>Requests served so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The bodies of the requests received, in order.</summary>
    public List<JsonNode> Bodies { get; } = [];

    /// <summary>A reply: text, tool calls (name, JSON arguments), and a finish reason.</summary>
    public sealed record Reply(string? Text, IReadOnlyList<(string Name, string Arguments)>? ToolCalls = null, string FinishReason = "stop");

    /// <summary>Starts a server answering with <paramref name="script"/> after <paramref name="delay"/>.</summary>
    public static async Task<FakeOpenAiServer> StartAsync(Func<JsonNode, Reply> script, TimeSpan delay = default, int? failStatus = null)
    {
        var server = new FakeOpenAiServer { FailStatus = failStatus };
        var (app, address) = await LoopbackApp.StartAsync(app => app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            Interlocked.Increment(ref server._requests);
            var body = (await JsonNode.ParseAsync(http.Request.Body))!;
            lock (server.Bodies)
            {
                server.Bodies.Add(body);
                server.Authorizations.Add(http.Request.Headers.Authorization.ToString());
            }

            if (delay > TimeSpan.Zero) await Task.Delay(delay);
            if (server.FailStatus is { } status)
            {
                http.Response.StatusCode = status;
                await http.Response.WriteAsJsonAsync(new { error = new { message = "fake failure", type = "server_error" } });
                return;
            }

            var reply = script(body);
            var message = new JsonObject { ["role"] = "assistant", ["content"] = reply.Text };
            if (reply.ToolCalls is { Count: > 0 } calls)
            {
                message["tool_calls"] = new JsonArray(calls.Select((c, i) => (JsonNode)new JsonObject
                {
                    ["id"] = $"call_{i + 1}_{Guid.NewGuid():N}",
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments },
                }).ToArray());
            }

            var response = new JsonObject
            {
                ["id"] = "chatcmpl-fake",
                ["object"] = "chat.completion",
                ["created"] = 1_700_000_000,
                ["model"] = body["model"]?.GetValue<string>() ?? "fake",
                ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = reply.FinishReason }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = 100, ["completion_tokens"] = 20, ["total_tokens"] = 120 },
            };
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(response.ToJsonString());
        }));
        server._app = app;
        server.BaseUrl = address + "/v1";
        return server;
    }

    /// <summary>The number of assistant messages in a request: which turn the agent is on.</summary>
    public static int Turn(JsonNode body) =>
        body["messages"]!.AsArray().Count(m => m?["role"]?.GetValue<string>() == "assistant");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
