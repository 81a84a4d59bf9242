using System.Text.Json.Nodes;

namespace Keel.Fakes;

/// <summary>
/// An Anthropic Messages API server on loopback for tests, driven by a script over the request body:
/// a <see cref="FakeProviderServer"/> that records every request.
/// </summary>
public sealed class FakeAnthropicServer : IAsyncDisposable
{
    private FakeAnthropicServer(FakeProviderServer server) => Server = server;

    /// <summary>The underlying server: its <see cref="FakeProviderServer.Faults"/> and <see cref="FakeProviderServer.Counters"/>.</summary>
    public FakeProviderServer Server { get; }

    /// <summary>Base URL to pass as ANTHROPIC_BASE_URL.</summary>
    public string BaseUrl => Server.BaseUrl;

    /// <summary>Request bodies and their Authorization headers (this SDK sends the API key as a bearer token), in order.</summary>
    public List<(JsonNode Body, string Authorization)> Requests => [.. Server.Recorded.Select(r => (r.Body, r.Authorization))];

    /// <summary>Starts a server; the script returns the content blocks and stop reason of each reply.</summary>
    public static Task<FakeAnthropicServer> StartAsync(Func<JsonNode, (JsonArray Content, string StopReason)> script) =>
        StartAsync(body =>
        {
            var (content, stop) = script(body);
            return new AnthropicReply(content, stop);
        });

    /// <summary>Starts a server; the script returns each reply, usage included.</summary>
    public static async Task<FakeAnthropicServer> StartAsync(Func<JsonNode, AnthropicReply> script)
    {
        var server = await FakeProviderServer.StartAsync();
        server.AnthropicScript = script;
        server.RecordRequests = true;
        return new FakeAnthropicServer(server);
    }

    /// <summary>Assistant turns so far in a request.</summary>
    public static int Turn(JsonNode body) => FakeProviderServer.Turn(body);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
