using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keel.Fakes;

/// <summary><c>POST /v1/messages</c>: messages and Anthropic-shaped errors (<c>{"type":"error","error":{...}}</c>, 529 for overloaded).</summary>
internal sealed class AnthropicEndpoint : ProviderEndpoint
{
    private static readonly byte[] RateLimit = Error("rate_limit_error", "Number of requests has exceeded your rate limit (fake).");
    private static readonly byte[] ServerError = Error("api_error", "Internal server error (fake).");
    private static readonly byte[] Overloaded = Error("overloaded_error", "Overloaded (fake).");
    private static readonly byte[] BadRequest = Error("invalid_request_error", "The request body is not valid JSON (fake).");
    private static readonly byte[] Malformed = Utf8("""{"id":"msg_fake","type":"message","role":"assistant","content":[{"type":"text","text":"OK"},}oops""");

    public Func<JsonNode, AnthropicReply>? Script { get; set; }

    public override FakeProtocol Protocol => FakeProtocol.Anthropic;

    public override bool HasScript => Script is not null;

    public override int OverloadedStatus => 529;

    public override ReadOnlyMemory<byte> RateLimitBody => RateLimit;

    public override ReadOnlyMemory<byte> ServerErrorBody => ServerError;

    public override ReadOnlyMemory<byte> OverloadedBody => Overloaded;

    public override ReadOnlyMemory<byte> BadRequestBody => BadRequest;

    public override ReadOnlyMemory<byte> MalformedBody => Malformed;

    public override ReadOnlyMemory<byte> FailureBody(int status) => Error(status switch
    {
        400 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        529 => "overloaded_error",
        _ => "api_error",
    }, "fake failure");

    protected override void WriteReply(Utf8JsonWriter w, JsonNode? body, string model)
    {
        var reply = body is not null && Script is { } script ? script(body) : AnthropicReply.Default;
        w.WriteStartObject();
        w.WriteString("id", "msg_fake");
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteString("model", model);
        w.WritePropertyName("content");
        reply.Content.WriteTo(w);
        w.WriteString("stop_reason", reply.StopReason);
        w.WriteNull("stop_sequence");
        var usage = reply.Usage;
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", usage.InputTokens);
        w.WriteNumber("output_tokens", usage.OutputTokens);
        w.WriteNumber("cache_creation_input_tokens", usage.CacheCreationInputTokens);
        w.WriteNumber("cache_read_input_tokens", usage.CacheReadInputTokens);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static byte[] Error(string type, string message) =>
        Utf8(new JsonObject
        {
            ["type"] = "error",
            ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
        }.ToJsonString());
}
