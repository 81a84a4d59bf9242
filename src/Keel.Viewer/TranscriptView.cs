using System.Text.Json;
using Keel.Grading;
using Keel.Store;
using Keel.Transcripts;

namespace Keel.Viewer;

/// <summary>A tool-call argument: its name and its value (strings as they are, other values as JSON).</summary>
public sealed record ArgumentView(string Name, IReadOnlyList<Segment> Value);

/// <summary>A tool call with its arguments and what it returned.</summary>
public sealed record CallView(string Name, string CallId, int? Seq, bool IsError, string? ParseError, IReadOnlyList<ArgumentView> Arguments,
    IReadOnlyList<Segment>? Result);

/// <summary>One message of the conversation, ready to render.</summary>
public sealed record TurnView(int Index, string Role, string Label, bool Collapsed, IReadOnlyList<Segment> Text, IReadOnlyList<Segment>? Reasoning,
    IReadOnlyList<CallView> Calls, IReadOnlyList<string> Flags);

/// <summary>A piece of evidence: where it points, the quote, and whether the quote was found to highlight.</summary>
public sealed record EvidenceView(int? EventSeq, int? MessageIndex, string Quote, bool Located)
{
    /// <summary>The anchor of what it points at in the page.</summary>
    public string? Anchor => EventSeq is { } s ? $"e{s}" : MessageIndex is { } m ? $"m{m}" : null;
}

/// <summary>A grader's verdict with its evidence.</summary>
public sealed record VerdictView(Verdict Verdict, IReadOnlyList<EvidenceView> Evidence);

/// <summary>
/// A stored sample laid out for the transcript page: turns in order (tool results shown under the call that asked for
/// them), every verdict, and the evidence quotes marked where they occur.
/// </summary>
public sealed record TranscriptView(StoredSample Sample, IReadOnlyList<TurnView> Turns, IReadOnlyList<VerdictView> Verdicts)
{
    /// <summary>Lays out <paramref name="sample"/>.</summary>
    public static TranscriptView Of(StoredSample sample)
    {
        var transcript = sample.Transcript;
        if (transcript is null) return new TranscriptView(sample, [], sample.Verdicts.Select(v => new VerdictView(v, v.Evidence.Select(e => new EvidenceView(e.EventSeq, e.MessageIndex, e.Quote, false)).ToList())).ToList());

        // Every text the page shows, by slot; evidence marks spans in slots.
        var texts = new Dictionary<string, string>();
        var messageSlots = new Dictionary<int, List<string>>();
        var eventSlots = new Dictionary<int, List<string>>();
        var eventByCall = transcript.Events.GroupBy(e => e.CallId).ToDictionary(g => g.Key, g => g.First());
        foreach (var m in transcript.Messages)
        {
            var mine = messageSlots[m.Index] = [];
            Add(mine, $"m{m.Index}", m.Text);
            Add(mine, $"m{m.Index}r", m.Reasoning);
            for (var k = 0; k < (m.ToolCalls?.Count ?? 0); k++)
            {
                var call = m.ToolCalls![k];
                var evt = eventByCall.GetValueOrDefault(call.CallId);
                var slots = evt is null ? mine : eventSlots[evt.Seq] = [];
                foreach (var (name, value) in call.Arguments) Add(slots, $"m{m.Index}c{k}a{name}", Value(value));
                if (evt is not null)
                {
                    Add(slots, $"e{evt.Seq}", evt.Result);
                    mine.AddRange(slots);
                }
            }
        }

        foreach (var m in transcript.Messages.Where(m => m.Role == "tool" && m.ToolCallId is not null && eventByCall.ContainsKey(m.ToolCallId)))
        {
            messageSlots[m.Index].AddRange(eventSlots.GetValueOrDefault(eventByCall[m.ToolCallId!].Seq) ?? []);
        }

        var spans = new Dictionary<string, List<(int, int)>>();
        var verdicts = sample.Verdicts.Select(v => new VerdictView(v, v.Evidence.Select(e =>
        {
            IEnumerable<string> targets = [.. (e.EventSeq is { } s ? eventSlots.GetValueOrDefault(s) ?? [] : []),
                .. (e.MessageIndex is { } i ? messageSlots.GetValueOrDefault(i) ?? [] : [])];
            var located = Mark(targets.Distinct()) || Mark(texts.Keys);
            return new EvidenceView(e.EventSeq, e.MessageIndex, e.Quote, located);

            bool Mark(IEnumerable<string> slots)
            {
                var any = false;
                foreach (var slot in slots)
                {
                    var found = Highlighter.Find(texts[slot], e.Quote);
                    if (found.Count == 0) continue;
                    (spans.TryGetValue(slot, out var list) ? list : spans[slot] = []).AddRange(found);
                    any = true;
                }

                return any;
            }
        }).ToList())).ToList();

        IReadOnlyList<Segment> Segments(string slot) => texts.TryGetValue(slot, out var text)
            ? Highlighter.Segments(text, spans.GetValueOrDefault(slot) ?? [])
            : [];

        var answered = new HashSet<string>(transcript.Events.Select(e => e.CallId));
        var firstUser = transcript.Messages.FirstOrDefault(m => m.Role == "user")?.Index;
        var turns = new List<TurnView>();
        foreach (var m in transcript.Messages)
        {
            if (m.Role == "tool" && m.ToolCallId is not null && answered.Contains(m.ToolCallId)) continue;
            var calls = (m.ToolCalls ?? []).Select((call, k) =>
            {
                var evt = eventByCall.GetValueOrDefault(call.CallId);
                return new CallView(call.Name, call.CallId, evt?.Seq, evt?.IsError == true, call.ParseError,
                    call.Arguments.Select(a => new ArgumentView(a.Key, Segments($"m{m.Index}c{k}a{a.Key}"))).ToList(),
                    evt is null ? null : Segments($"e{evt.Seq}"));
            }).ToList();
            var label = m.Role switch
            {
                "system" => "system prompt",
                "user" when m.Index == firstUser => "kickoff",
                _ => m.Role,
            };
            turns.Add(new TurnView(m.Index, m.Role, label, m.Role == "system" || m.Index == firstUser, Segments($"m{m.Index}"),
                m.Reasoning is { Length: > 0 } ? Segments($"m{m.Index}r") : null, calls, m.Flags ?? []));
        }

        return new TranscriptView(sample, turns, verdicts);

        void Add(List<string> slots, string slot, string? text)
        {
            if (string.IsNullOrEmpty(text)) return;
            texts[slot] = text;
            slots.Add(slot);
        }
    }

    private static string Value(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? value.GetString() ?? ""
        : JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = true });
}
