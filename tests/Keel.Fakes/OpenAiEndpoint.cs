using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keel.Fakes;

/// <summary><c>POST /v1/chat/completions</c>: chat completions and OpenAI-shaped errors (503 for overloaded).</summary>
internal sealed class OpenAiEndpoint : ProviderEndpoint
{
    private static readonly byte[] RateLimit = Error("Rate limit reached for requests (fake).", "requests", "rate_limit_exceeded");
    private static readonly byte[] ServerError = Error("The server had an error while processing your request (fake).", "server_error", null);
    private static readonly byte[] Overloaded = Error("The engine is currently overloaded, please try again later (fake).", "server_error", null);
    private static readonly byte[] BadRequest = Error("The request body is not valid JSON (fake).", "invalid_request_error", null);
    private static readonly byte[] Malformed = Utf8("""{"id":"chatcmpl-fake","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"OK"}},}oops""");
    private static readonly byte[] Failure = Error("fake failure", "server_error", null);

    public Func<JsonNode, OpenAiReply>? Script { get; set; }

    public override FakeProtocol Protocol => FakeProtocol.OpenAi;

    public override bool HasScript => Script is not null;

    public override int OverloadedStatus => 503;

    public override ReadOnlyMemory<byte> RateLimitBody => RateLimit;

    public override ReadOnlyMemory<byte> ServerErrorBody => ServerError;

    public override ReadOnlyMemory<byte> OverloadedBody => Overloaded;

    public override ReadOnlyMemory<byte> BadRequestBody => BadRequest;

    public override ReadOnlyMemory<byte> MalformedBody => Malformed;

    public override ReadOnlyMemory<byte> FailureBody(int status) => Failure;

    protected override void WriteReply(Utf8JsonWriter w, JsonNode? body, string model)
    {
        var reply = body is not null && Script is { } script ? script(body) : OpenAiReply.Default;
        w.WriteStartObject();
        w.WriteString("id", "chatcmpl-fake");
        w.WriteString("object", "chat.completion");
        w.WriteNumber("created", 1_700_000_000);
        w.WriteString("model", model);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        w.WriteString("content", reply.Text);
        if (reply.ToolCalls is { Count: > 0 } calls)
        {
            w.WriteStartArray("tool_calls");
            for (var i = 0; i < calls.Count; i++)
            {
                w.WriteStartObject();
                w.WriteString("id", $"call_{i + 1}_{Guid.NewGuid():N}");
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", calls[i].Name);
                w.WriteString("arguments", calls[i].Arguments);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteString("finish_reason", reply.FinishReason);
        w.WriteEndObject();
        w.WriteEndArray();
        var usage = reply.Usage;
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", usage.PromptTokens);
        w.WriteNumber("completion_tokens", usage.CompletionTokens);
        w.WriteNumber("total_tokens", usage.PromptTokens + usage.CompletionTokens);
        w.WriteStartObject("prompt_tokens_details");
        w.WriteNumber("cached_tokens", usage.CachedTokens);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static byte[] Error(string message, string type, string? code) =>
        Utf8(new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = code },
        }.ToJsonString());
}
