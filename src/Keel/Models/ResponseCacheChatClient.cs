using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace Keel.Models;

/// <summary>Where cached model responses live (the run store implements it).</summary>
public interface IResponseCache
{
    /// <summary>The cached response JSON for a key, or null.</summary>
    ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a response under a key. An implementation may return before the entry is durable (the run store does, so a
    /// model call does not wait for a commit), but <see cref="GetAsync"/> must see the entry as soon as this returns.
    /// </summary>
    ValueTask SetAsync(string key, string model, string responseJson, CancellationToken cancellationToken);
}

/// <summary>
/// A content-addressed response cache for one sample: the key covers the model, the call's parameters,
/// messages and tools, and the sample's condition and epoch. Re-running the same sample (after a kill, or
/// to re-grade) costs nothing, while two epochs of one condition never share a response (they stay
/// independent draws), and neither do two conditions whose first prompts happen to be identical (their
/// worlds differ only in what tools reveal later), so conditions stay independent samples too.
/// Cache hits are marked in <see cref="ChatResponse.AdditionalProperties"/> under <see cref="HitProperty"/>.
/// </summary>
public sealed class ResponseCacheChatClient(IChatClient inner, IResponseCache cache, string model, string conditionId, int epoch) : DelegatingChatClient(inner)
{
    /// <summary>The property set to true on responses served from the cache.</summary>
    public const string HitProperty = "keel.cache_hit";

    /// <summary>
    /// How an entry is written: M.E.AI's own contract (<see cref="AIJsonUtilities.DefaultOptions"/>) without its
    /// indentation, which made entries about 60 % larger and cost CPU on every call. Entries of either form read back the same.
    /// </summary>
    private static readonly JsonTypeInfo<ChatResponse> EntryJson =
        (JsonTypeInfo<ChatResponse>)new JsonSerializerOptions(AIJsonUtilities.DefaultOptions) { WriteIndented = false }.GetTypeInfo(typeof(ChatResponse));

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var key = Key(model, conditionId, epoch, list, options);
        if (await cache.GetAsync(key, cancellationToken).ConfigureAwait(false) is { } json
            && JsonSerializer.Deserialize<ChatResponse>(json, AIJsonUtilities.DefaultOptions) is { } cached)
        {
            (cached.AdditionalProperties ??= [])[HitProperty] = true;
            return cached;
        }

        var response = await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        await cache.SetAsync(key, model, JsonSerializer.Serialize(response, EntryJson), cancellationToken).ConfigureAwait(false);
        return response;
    }

    /// <summary>
    /// The cache key: SHA-256 over the model, condition, epoch, messages, tools, sampling parameters and the JSON schema
    /// of a structured-output request. For the judge, the condition is its scope (what is judged) and the epoch its draw.
    /// </summary>
    public static string Key(string model, string conditionId, int epoch, IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        // Written straight into the hash through one reused buffer (no JSON DOM, no growing copy): this runs on every model call.
        var buffer = HashingBuffer.Rent();
        var w = buffer.Writer;
        w.WriteStartObject();
        w.WriteString("model", model);
        w.WriteString("condition", conditionId);
        w.WriteNumber("epoch", epoch);
        w.WritePropertyName("messages");
        JsonSerializer.Serialize(w, messages, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IReadOnlyList<ChatMessage>)));
        if (options?.Temperature is { } temperature) w.WriteNumber("temperature", temperature);
        if (options?.TopP is { } topP) w.WriteNumber("top_p", topP);
        if (options?.MaxOutputTokens is { } max) w.WriteNumber("max_output_tokens", max);
        if (options?.Reasoning?.Effort is { } effort) w.WriteString("reasoning", effort.ToString());
        if (options?.ToolMode is { } mode) w.WriteString("tool_mode", mode.ToString());
        // Structured output (the judge): the schema asked for is part of the request. Agents never set it.
        if (options?.ResponseFormat is ChatResponseFormatJson json)
        {
            w.WriteStartObject("response_format");
            if (json.SchemaName is { } name) w.WriteString("name", name);
            if (json.Schema is { } schema)
            {
                w.WritePropertyName("schema");
                schema.WriteTo(w);
            }

            w.WriteEndObject();
        }
        w.WriteStartArray("tools");
        foreach (var tool in options?.Tools ?? [])
        {
            // A declaration's JSON never changes (name, description and schema are read-only), and a scenario's declarations
            // are shared by all its samples: written once, then copied in verbatim.
            if (tool is AIFunctionDeclaration declaration) w.WriteRawValue(ToolJson.GetValue(declaration, static d => ToolEntry(d)), skipInputValidation: true);
            else WriteTool(w, tool);
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();

        return buffer.HashAndReturn();
    }

    /// <summary>The key's JSON entry of each tool declaration, written once.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<AIFunctionDeclaration, byte[]> ToolJson = new();

    private static byte[] ToolEntry(AIFunctionDeclaration declaration)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer)) WriteTool(w, declaration);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteTool(Utf8JsonWriter w, AITool tool)
    {
        w.WriteStartObject();
        w.WriteString("name", tool.Name);
        w.WriteString("description", tool.Description);
        if (tool is AIFunctionDeclaration f)
        {
            w.WritePropertyName("schema");
            f.JsonSchema.WriteTo(w);
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// An <see cref="IBufferWriter{T}"/> that feeds what is written into an incremental SHA-256 each time its buffer fills:
    /// the same digest as hashing the whole JSON at once. One per thread, reused (the key is computed synchronously).
    /// </summary>
    private sealed class HashingBuffer : IBufferWriter<byte>
    {
        private const int Size = 16 * 1024;
        private const int MaxKept = 1024 * 1024;

        [ThreadStatic]
        private static HashingBuffer? _current;

        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private byte[] _buffer = new byte[Size];
        private int _written;

        private HashingBuffer() => Writer = new Utf8JsonWriter(this);

        /// <summary>A JSON writer (default options) over this buffer.</summary>
        public Utf8JsonWriter Writer { get; }

        /// <summary>This thread's buffer, empty, with its writer reset; a new one when the last use did not finish.</summary>
        public static HashingBuffer Rent()
        {
            var buffer = _current;
            _current = null;
            if (buffer is null) return new HashingBuffer();
            buffer.Writer.Reset();
            return buffer;
        }

        /// <summary>The lower-case hex digest of everything written; the buffer is reset and returned for reuse.</summary>
        public string HashAndReturn()
        {
            Span<byte> digest = stackalloc byte[32];
            _hash.AppendData(_buffer, 0, _written);
            _written = 0;
            _hash.GetHashAndReset(digest);
            // A very long string grew the buffer; keep a large one only up to a limit, so a thread does not hold it for good.
            if (_buffer.Length > MaxKept) _buffer = new byte[Size];
            _current = this;
            return Convert.ToHexStringLower(digest);
        }

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            var start = Reserve(sizeHint); // first: it may replace the buffer
            return _buffer.AsMemory(start);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            var start = Reserve(sizeHint);
            return _buffer.AsSpan(start);
        }

        /// <summary>Makes room for <paramref name="sizeHint"/> bytes, hashing what is written so far when needed; returns the write position.</summary>
        private int Reserve(int sizeHint)
        {
            sizeHint = Math.Max(sizeHint, 1);
            if (_buffer.Length - _written >= sizeHint) return _written;
            _hash.AppendData(_buffer, 0, _written);
            _written = 0;
            if (_buffer.Length < sizeHint) _buffer = new byte[sizeHint];
            return 0;
        }
    }
}
