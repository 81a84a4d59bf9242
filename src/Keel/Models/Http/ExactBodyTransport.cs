using System.ClientModel;
using System.ClientModel.Primitives;

namespace Keel.Models.Http;

/// <summary>
/// The OpenAI SDK's HTTP transport, sending each request body as one exact-size byte array. The SDK serializes a
/// request into 16 KB segments rented from <see cref="System.Buffers.ArrayPool{T}.Shared"/> and holds them until the
/// call returns; with hundreds of calls in flight the pool runs dry, so each call allocates a fresh segment that lives
/// as long as the model takes to answer and is copied by every garbage collection meanwhile. Here the body is copied
/// once into an array of its size before it is sent, and the segments go back to the pool at once. The body is then a
/// <see cref="ByteArrayContent"/>, which <see cref="ResilienceHandler"/> can send again on a retry without copying it.
/// </summary>
public sealed class ExactBodyTransport(HttpClient client) : HttpClientPipelineTransport(client)
{
    /// <inheritdoc />
    protected override void OnSendingRequest(PipelineMessage message, HttpRequestMessage httpRequest)
    {
        if (message.Request.Content is not { } content || httpRequest.Content is not { } adapter) return;
        if (!content.TryComputeLength(out var length) || length > Array.MaxLength) return;
        var body = new byte[length];
        using (var stream = new MemoryStream(body, writable: true)) content.WriteTo(stream, message.CancellationToken);
        var exact = new ByteArrayContent(body);
        foreach (var header in adapter.Headers)
        {
            if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) exact.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        httpRequest.Content = exact;
        // The request keeps a content that is a plain copy of the bytes (a later send reads these); the serializer's
        // pooled segments are returned now rather than when the call ends.
        message.Request.Content = BinaryContent.Create(BinaryData.FromBytes(body));
        content.Dispose();
    }
}
