using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;

namespace Keel.Fakes;

/// <summary>
/// A fake LLM provider on loopback serving both <c>POST /v1/chat/completions</c> (OpenAI) and <c>POST /v1/messages</c>
/// (Anthropic) with scripted replies, plus latency and faults from a <see cref="FaultPlan"/> that can be changed while it runs.
/// Built for load: lock-free counters, no logging, request bodies kept only when <see cref="RecordRequests"/> is on.
/// </summary>
public sealed partial class FakeProviderServer : IAsyncDisposable
{
    private readonly OpenAiEndpoint _openAi = new();
    private readonly AnthropicEndpoint _anthropic = new();
    private readonly List<RecordedRequest> _recorded = [];
    private readonly TimeProvider _time;
    private volatile FaultState _state;
    private volatile bool _record;
    private WebApplication _app = null!;

    private FakeProviderServer(TimeProvider time)
    {
        _time = time;
        _state = FaultState.For(FaultPlan.None, null, time);
    }

    /// <summary>
    /// Starts a server on 127.0.0.1:<paramref name="port"/> (0: a free port). <paramref name="timeProvider"/> clocks the
    /// request limit (default: the system clock); latency and hangs always use real time.
    /// </summary>
    public static async Task<FakeProviderServer> StartAsync(int port = 0, TimeProvider? timeProvider = null)
    {
        var server = new FakeProviderServer(timeProvider ?? TimeProvider.System);
        (server._app, server.BaseUrl) = await LoopbackApp.StartAsync(port, server.HandleAsync);
        return server;
    }

    /// <summary>The server root, e.g. <c>http://127.0.0.1:5123</c>: the Anthropic base URL (ANTHROPIC_BASE_URL).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The OpenAI base URL (OPENAI_BASE_URL, --base-url): <see cref="BaseUrl"/> + <c>/v1</c>.</summary>
    public string OpenAiBaseUrl => BaseUrl + "/v1";

    /// <summary>Answers chat completions from the request body; null: every reply is <see cref="OpenAiReply.Default"/> and bodies are not parsed.</summary>
    public Func<JsonNode, OpenAiReply>? OpenAiScript
    {
        get => _openAi.Script;
        set => _openAi.Script = value;
    }

    /// <summary>Answers messages from the request body; null: every reply is <see cref="AnthropicReply.Default"/> and bodies are not parsed.</summary>
    public Func<JsonNode, AnthropicReply>? AnthropicScript
    {
        get => _anthropic.Script;
        set => _anthropic.Script = value;
    }

    /// <summary>
    /// Latency and faults, applied from the next request on. Setting a plan validates it and restarts its draws from
    /// <see cref="FaultPlan.Seed"/>; the request limiter keeps its history if the limit and window are unchanged.
    /// </summary>
    public FaultPlan Faults
    {
        get => _state.Plan;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            _state = FaultState.For(value, _state, _time);
        }
    }

    /// <summary>Whether to keep every request's body and Authorization header in <see cref="Recorded"/>. Off by default.</summary>
    public bool RecordRequests
    {
        get => _record;
        set => _record = value;
    }

    /// <summary>The requests kept while <see cref="RecordRequests"/> was on, in arrival order (a copy).</summary>
    public IReadOnlyList<RecordedRequest> Recorded
    {
        get
        {
            lock (_recorded) return [.. _recorded];
        }
    }

    /// <summary>Requests, requests in flight, and outcomes so far.</summary>
    public FakeServerCounters Counters { get; } = new();

    /// <summary>The number of assistant messages in a request body: which turn the agent is on (both protocols).</summary>
    public static int Turn(JsonNode body) =>
        body["messages"]!.AsArray().Count(m => m?["role"]?.GetValue<string>() == "assistant");

    /// <summary>
    /// Every text of a request's prompt, in order (both protocols): the system prompt (Anthropic's <c>system</c> or an
    /// OpenAI system message) and the text of each message, whether its content is a string or a list of text parts.
    /// Scripts use it to answer by what a prompt says, e.g. an LLM judge's rubric or the transcript it grades.
    /// </summary>
    public static string PromptText(JsonNode body)
    {
        var parts = new List<string>();
        Collect(body["system"], parts);
        foreach (var message in body["messages"]?.AsArray() ?? []) Collect(message?["content"], parts);
        return string.Join("\n", parts);

        static void Collect(JsonNode? content, List<string> parts)
        {
            switch (content)
            {
                case JsonValue value when value.TryGetValue<string>(out var text):
                    parts.Add(text);
                    break;
                case JsonArray array:
                    foreach (var part in array) Collect(part?["text"], parts);
                    break;
            }
        }
    }

    /// <summary>Forgets the recorded requests.</summary>
    public void ClearRecorded()
    {
        lock (_recorded) _recorded.Clear();
    }

    /// <summary>Stops at once: requests still running (hangs, latency) are aborted, not awaited.</summary>
    public async ValueTask DisposeAsync()
    {
        using var now = new CancellationTokenSource();
        await now.CancelAsync();
        try
        {
            await _app.StopAsync(now.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping without waiting is the point.
        }

        await _app.DisposeAsync();
    }

    private void Record(FakeProtocol protocol, JsonNode body, string authorization)
    {
        lock (_recorded) _recorded.Add(new RecordedRequest(protocol, body, authorization));
    }
}
