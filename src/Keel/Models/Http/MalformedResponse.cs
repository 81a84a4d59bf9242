using System.Buffers;
using System.Net;
using System.Text.Json;

namespace Keel.Models.Http;

/// <summary>
/// A success status whose JSON body is empty or not valid JSON: a provider or proxy fault (a corrupted or cut reply), retried like
/// a connection reset rather than handed to the SDK, whose parser would fail the sample at once.
/// </summary>
public sealed class MalformedResponseException(HttpStatusCode status, string problem)
    : HttpRequestException($"the provider answered {(int)status} with a body that is not valid JSON ({problem})", null, status);

/// <summary>Checks a buffered response body that says it is JSON.</summary>
public static class MalformedResponse
{
    /// <summary>
    /// Null when <paramref name="response"/> is not a success, does not declare a JSON media type (<c>application/json</c>,
    /// <c>*+json</c>), or holds well-formed JSON (one value, or several as in JSON Lines); otherwise what is wrong with it.
    /// The body must already be buffered (<see cref="HttpContent.LoadIntoBufferAsync()"/>).
    /// </summary>
    public static string? Problem(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType is not { } media
            || !(media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        // The buffered content's own stream, which the SDK reads next: not disposed, and rewound after the check.
        var stream = response.Content.ReadAsStream();
        if (!stream.CanSeek || stream.Length > int.MaxValue) return null;
        var length = (int)stream.Length;
        if (length == 0) return "the body is empty";
        var bytes = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            stream.Position = 0;
            stream.ReadExactly(bytes, 0, length);
            stream.Position = 0;
            var reader = new Utf8JsonReader(bytes.AsSpan(0, length), new JsonReaderOptions { AllowMultipleValues = true, CommentHandling = JsonCommentHandling.Skip });
            var values = 0;
            while (reader.Read())
            {
                if (reader.CurrentDepth == 0 && reader.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray)) values++;
            }

            return values == 0 ? "the body holds no JSON value" : null;
        }
        catch (JsonException ex)
        {
            return $"{ex.Message.Split(" LineNumber:", 2)[0].TrimEnd().TrimEnd('.')}, at byte {ex.BytePositionInLine} of {length}";
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
