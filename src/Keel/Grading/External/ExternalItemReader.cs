using System.Globalization;
using System.Text.Json;
using Keel.Transcripts;

namespace Keel.Grading.External;

/// <summary>
/// Reads one item of an external file (a JSON object) into an <see cref="ExternalItem"/>, telling its form from its keys:
/// <list type="bullet">
/// <item><c>transcript</c> (an object), or <c>messages</c> with <c>events</c>: a Keel transcript;</item>
/// <item><c>messages</c>: OpenAI or Inspect chat messages (<see cref="ChatMessagesReader"/>);</item>
/// <item><c>response</c> (or <c>raw_response</c>): a raw reply with <c>&lt;tool_use:NAME&gt;</c> blocks, with an optional
/// <c>reasoning</c> and optional <c>system_prompt</c> and <c>user_prompt</c> that show the judge what the agent saw.</item>
/// </list>
/// Every form may also carry <c>id</c>, <c>family</c> and <c>facts</c> (an object of key → text or list of texts).
/// </summary>
internal static class ExternalItemReader
{
    /// <summary>The item of <paramref name="root"/>; throws <see cref="ExternalFormatException"/> when it cannot be read.</summary>
    /// <param name="root">The item's JSON.</param>
    /// <param name="line">Its 1-based line, for its default id.</param>
    /// <param name="vocabulary">Tool names and aliases.</param>
    /// <param name="inInspectLog">True for a sample of an Inspect eval log.</param>
    public static ExternalItem Read(JsonElement root, int line, ToolVocabulary vocabulary, bool inInspectLog = false)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new ExternalFormatException($"expected a JSON object, found {ChatMessagesReader.Kind(root)}");
        var (format, transcript) = Transcript(root, vocabulary, inInspectLog);
        return new ExternalItem(line, Id(root, line), format, transcript, Family(root), Facts(root));
    }

    private static (ExternalFormat, Transcript) Transcript(JsonElement root, ToolVocabulary vocabulary, bool inInspectLog)
    {
        if (root.TryGetProperty("transcript", out var wrapped))
        {
            return wrapped.ValueKind == JsonValueKind.Object
                ? (ExternalFormat.Keel, Keel(wrapped))
                : throw new ExternalFormatException($"'transcript' must be a Keel transcript object, not {ChatMessagesReader.Kind(wrapped)}");
        }

        if (root.TryGetProperty("messages", out var messages))
        {
            if (root.TryGetProperty("events", out _)) return (ExternalFormat.Keel, Keel(root));
            var inspect = inInspectLog || ChatMessagesReader.LooksLikeInspect(messages) || root.TryGetProperty("epoch", out _);
            return (inspect ? ExternalFormat.Inspect : ExternalFormat.OpenAi, TranscriptBuilder.Build(ChatMessagesReader.Read(messages), vocabulary));
        }

        var responseKey = root.TryGetProperty("response", out _) ? "response" : root.TryGetProperty("raw_response", out _) ? "raw_response" : null;
        if (responseKey is not null)
        {
            var response = root.GetProperty(responseKey);
            if (response.ValueKind != JsonValueKind.String) throw new ExternalFormatException($"'{responseKey}' must be the reply text, not {ChatMessagesReader.Kind(response)}");
            var turns = new List<ChatTurn>();
            if (OptionalText(root, "system_prompt") is { } system) turns.Add(new ChatTurn("system", system));
            if (OptionalText(root, "user_prompt") is { } user) turns.Add(new ChatTurn("user", user));
            turns.Add(new ChatTurn("assistant", response.GetString(), OptionalText(root, "reasoning")));
            return (ExternalFormat.Response, TranscriptBuilder.Build(turns, vocabulary));
        }

        var keys = string.Join(", ", root.EnumerateObject().Select(p => p.Name).Take(8));
        throw new ExternalFormatException("not a transcript Keel can read: expected 'messages' (OpenAI or Inspect chat messages), 'response' "
            + $"(a reply with <tool_use:NAME> blocks) or a Keel transcript ('messages' and 'events', or 'transcript'); the object has {(keys.Length > 0 ? keys : "no keys")}");
    }

    private static Transcript Keel(JsonElement element)
    {
        Transcript transcript;
        try
        {
            transcript = element.Deserialize<Transcript>(TranscriptJson.Options) ?? throw new ExternalFormatException("the Keel transcript is null");
        }
        catch (JsonException ex)
        {
            throw new ExternalFormatException($"not a Keel transcript (docs/transcripts.md): {ex.Message}");
        }

        // Deserialization leaves absent lists null; a transcript needs both.
        if (transcript.Messages is null || transcript.Events is null)
        {
            throw new ExternalFormatException("a Keel transcript needs 'messages' and 'events' (docs/transcripts.md)");
        }

        return transcript with { Usage = transcript.Usage ?? TokenUsage.Zero };
    }

    private static string Id(JsonElement root, int line)
    {
        var id = root.TryGetProperty("id", out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;
        if (id is null) return $"line-{line.ToString(CultureInfo.InvariantCulture)}";
        return root.TryGetProperty("epoch", out var epoch) && epoch.ValueKind == JsonValueKind.Number ? $"{id}#{epoch.GetRawText()}" : id;
    }

    private static string? Family(JsonElement root)
    {
        if (!root.TryGetProperty("family", out var family) || family.ValueKind == JsonValueKind.Null) return null;
        return family.ValueKind == JsonValueKind.String && family.GetString()!.Trim().Length > 0
            ? family.GetString()!.Trim()
            : throw new ExternalFormatException($"'family' must be a family id such as blackmail, not {ChatMessagesReader.Kind(family)}");
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<string>>? Facts(JsonElement root)
    {
        if (!root.TryGetProperty("facts", out var facts) || facts.ValueKind == JsonValueKind.Null) return null;
        if (facts.ValueKind != JsonValueKind.Object) throw new ExternalFormatException($"'facts' must be an object of fact → text or list of texts, not {ChatMessagesReader.Kind(facts)}");
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var fact in facts.EnumerateObject())
        {
            values[fact.Name] = fact.Value.ValueKind switch
            {
                JsonValueKind.String => [fact.Value.GetString()!],
                JsonValueKind.Array when fact.Value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String) =>
                    fact.Value.EnumerateArray().Select(v => v.GetString()!).ToList(),
                _ => throw new ExternalFormatException($"facts.{fact.Name} must be a text or a list of texts, not {ChatMessagesReader.Kind(fact.Value)}"),
            };
        }

        return values;
    }

    private static string? OptionalText(JsonElement root, string key)
    {
        if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new ExternalFormatException($"'{key}' must be a text, not {ChatMessagesReader.Kind(value)}");
    }
}
