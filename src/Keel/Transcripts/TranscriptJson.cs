using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keel.Transcripts;

/// <summary>The on-disk JSON form of transcripts and other stored records (snake_case, documented in docs/transcripts.md).</summary>
public static class TranscriptJson
{
    /// <summary>Serializer options used for everything Keel stores or prints as JSON.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = false,
    };

    /// <summary>Serializes a transcript.</summary>
    public static string Serialize(Transcript transcript) => JsonSerializer.Serialize(transcript, Options);

    /// <summary>The same JSON as <see cref="Serialize"/>, as UTF-8 bytes (what the store writes, without a UTF-16 string between).</summary>
    public static byte[] SerializeToUtf8(Transcript transcript) => JsonSerializer.SerializeToUtf8Bytes(transcript, Options);

    /// <summary>Reads a transcript back.</summary>
    public static Transcript Deserialize(string json) =>
        JsonSerializer.Deserialize<Transcript>(json, Options) ?? throw new JsonException("empty transcript");
}
