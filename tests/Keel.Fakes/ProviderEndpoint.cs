using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keel.Fakes;

/// <summary>One provider's wire format: its success reply, error bodies and overloaded status. Error bodies are encoded once.</summary>
internal abstract class ProviderEndpoint
{
    public abstract FakeProtocol Protocol { get; }

    /// <summary>Whether a script is set: only then is the request body parsed for a reply.</summary>
    public abstract bool HasScript { get; }

    public abstract int OverloadedStatus { get; }

    public abstract ReadOnlyMemory<byte> RateLimitBody { get; }

    public abstract ReadOnlyMemory<byte> ServerErrorBody { get; }

    public abstract ReadOnlyMemory<byte> OverloadedBody { get; }

    public abstract ReadOnlyMemory<byte> BadRequestBody { get; }

    public abstract ReadOnlyMemory<byte> MalformedBody { get; }

    /// <summary>The error body for <see cref="FaultPlan.FailStatus"/>.</summary>
    public abstract ReadOnlyMemory<byte> FailureBody(int status);

    /// <summary>The reply to <paramref name="body"/>: the script's, or the default reply when there is no script or no body.</summary>
    public ReadOnlyMemory<byte> Reply(JsonNode? body)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer)) WriteReply(writer, body, Model(body));
        return buffer.WrittenMemory;
    }

    protected abstract void WriteReply(Utf8JsonWriter writer, JsonNode? body, string model);

    protected static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static string Model(JsonNode? body) =>
        body?["model"] is JsonValue v && v.TryGetValue<string>(out var model) ? model : "fake";
}
