using System.Text.Json.Nodes;

namespace Keel.Fakes;

/// <summary>
/// An OpenAI-compatible chat completions server on loopback for tests: a <see cref="FakeProviderServer"/> that records
/// every request. Each request is answered by a script: given the request body, return the assistant message.
/// The real OpenAI SDK talks to it through its base-URL override.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private FakeOpenAiServer(FakeProviderServer server) => Server = server;

    /// <summary>The underlying server: its <see cref="FakeProviderServer.Faults"/> and <see cref="FakeProviderServer.Counters"/>.</summary>
    public FakeProviderServer Server { get; }

    /// <summary>Base URL to pass as --base-url (ends with /v1).</summary>
    public string BaseUrl => Server.OpenAiBaseUrl;

    /// <summary>When set, every request fails with this HTTP status.</summary>
    public int? FailStatus
    {
        get => Server.Faults.FailStatus;
        set => Server.Faults = Server.Faults with { FailStatus = value };
    }

    /// <summary>Authorization headers received (to prove keys are sent, never stored).</summary>
    public List<string> Authorizations => [.. Server.Recorded.Select(r => r.Authorization)];

    /// <summary>Requests served so far.</summary>
    public int Requests => (int)Server.Counters.Requests;

    /// <summary>The bodies of the requests received, in order.</summary>
    public List<JsonNode> Bodies => [.. Server.Recorded.Select(r => r.Body)];

    /// <summary>Starts a server answering with <paramref name="script"/> after <paramref name="delay"/>.</summary>
    public static async Task<FakeOpenAiServer> StartAsync(Func<JsonNode, OpenAiReply> script, TimeSpan delay = default, int? failStatus = null)
    {
        var server = await FakeProviderServer.StartAsync();
        server.OpenAiScript = script;
        server.RecordRequests = true;
        server.Faults = new FaultPlan { Latency = delay, FailStatus = failStatus };
        return new FakeOpenAiServer(server);
    }

    /// <summary>The number of assistant messages in a request: which turn the agent is on.</summary>
    public static int Turn(JsonNode body) => FakeProviderServer.Turn(body);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
