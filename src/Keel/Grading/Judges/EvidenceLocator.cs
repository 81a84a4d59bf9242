using System.Text;
using System.Text.Json;
using Keel.Transcripts;

namespace Keel.Grading.Judges;

/// <summary>
/// Checks the judge's quotes against the transcript. A quote counts when its text (whitespace collapsed, case ignored,
/// each part between elisions "..." or "…") is found in the message it cites; when it is not there but in another
/// message, that message is cited instead. A quote found nowhere is dropped, and the verdict's reason says how many were.
/// A quote from a tool call's arguments, or from a tool result, also points at the action (its event number).
/// </summary>
public static class EvidenceLocator
{
    /// <summary>The judge's quotes as evidence, and the number of quotes not found in the transcript.</summary>
    public static (IReadOnlyList<Evidence> Evidence, int Dropped) Locate(Transcript transcript, IReadOnlyList<JudgeQuote>? quotes)
    {
        var found = new List<Evidence>();
        var dropped = 0;
        foreach (var quote in quotes ?? [])
        {
            var parts = Parts(quote.Quote ?? "");
            if (parts.Count == 0)
            {
                dropped++;
                continue;
            }

            var cited = quote.MessageIndex >= 0 && quote.MessageIndex < transcript.Messages.Count ? transcript.Messages[quote.MessageIndex] : null;
            var evidence = (cited is null ? null : Find(transcript, cited, parts, quote.Quote!))
                ?? transcript.Messages.Select(m => Find(transcript, m, parts, quote.Quote!)).FirstOrDefault(e => e is not null);
            if (evidence is null) dropped++;
            else if (!found.Contains(evidence)) found.Add(evidence);
        }

        return (found, dropped);
    }

    private static Evidence? Find(Transcript transcript, TranscriptMessage message, IReadOnlyList<string> parts, string quote)
    {
        if (Contains(message.Text, parts) || Contains(message.Reasoning, parts))
        {
            var answered = message.Role == "tool" ? transcript.Events.FirstOrDefault(e => e.CallId == message.ToolCallId) : null;
            return new Evidence(answered?.Seq, message.Index, quote.Trim());
        }

        foreach (var call in message.ToolCalls ?? [])
        {
            if (!call.Arguments.Values.Any(v => Contains(v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText(), parts))) continue;
            var evt = transcript.Events.FirstOrDefault(e => e.MessageIndex == message.Index && e.CallId == call.CallId);
            return new Evidence(evt?.Seq, message.Index, quote.Trim());
        }

        return null;
    }

    private static bool Contains(string? text, IReadOnlyList<string> parts)
    {
        if (string.IsNullOrEmpty(text)) return false;
        var normalized = Normalize(text);
        var at = 0;
        foreach (var part in parts)
        {
            var i = normalized.IndexOf(part, at, StringComparison.Ordinal);
            if (i < 0) return false;
            at = i + part.Length;
        }

        return true;
    }

    /// <summary>The quote's parts between elisions, normalized, without surrounding quotation marks.</summary>
    private static List<string> Parts(string quote) =>
        quote.Replace("…", "...").Split("...")
            .Select(p => Normalize(p).Trim(' ', '"', '\'', '“', '”', '‘', '’'))
            .Where(p => p.Length > 0)
            .ToList();

    private static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }

            if (space) sb.Append(' ');
            space = false;
            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }
}
