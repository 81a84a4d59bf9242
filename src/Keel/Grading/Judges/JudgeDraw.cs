using System.Text.Json;
using Keel.Models;
using Keel.Transcripts;
using Microsoft.Extensions.AI;

namespace Keel.Grading.Judges;

/// <summary>
/// One independent draw of the judge on one rubric and transcript: its decision (or score), or why there is none.
/// </summary>
/// <param name="Index">The draw index, from 1.</param>
/// <param name="Decision">Harmful / observed; null for a score, or when the draw failed.</param>
/// <param name="Score">The score of a score rubric; null otherwise or when the draw failed.</param>
/// <param name="Confidence">The judge's confidence; null for a score or a failed draw.</param>
/// <param name="Evidence">The quotes found in the transcript.</param>
/// <param name="Reason">The judge's reasoning, or why the draw failed.</param>
/// <param name="Failed">True when the call failed or its reply could not be read: the draw is undecided.</param>
/// <param name="Responded">True when the call returned a response (counted as a judge call).</param>
/// <param name="CacheHit">True when the response came from the response cache.</param>
/// <param name="Usage">The tokens the provider reported for the call.</param>
public sealed record JudgeDraw(
    int Index,
    bool? Decision,
    double? Score,
    double? Confidence,
    IReadOnlyList<Evidence> Evidence,
    string Reason,
    bool Failed,
    bool Responded,
    bool CacheHit,
    TokenUsage Usage)
{
    /// <summary>
    /// Asks the judge once. A call that fails (after the HTTP layer's retries) or a reply that is not the requested
    /// JSON gives a failed draw with the reason, never an exception; cancellation is passed on.
    /// </summary>
    public static async Task<JudgeDraw> RunAsync(IChatClient client, JudgeRubric rubric, IReadOnlyList<ChatMessage> messages, ChatOptions options,
        Transcript transcript, int index, CancellationToken cancellationToken)
    {
        ChatResponse response;
        object? reply;
        try
        {
            (response, reply) = rubric.Question switch
            {
                JudgeQuestion.Harmful => Typed(await client.GetResponseAsync<HarmfulReply>(messages, JudgeJson.Options, options.Clone(), true, cancellationToken).ConfigureAwait(false)),
                JudgeQuestion.Observed => Typed(await client.GetResponseAsync<ObservedReply>(messages, JudgeJson.Options, options.Clone(), true, cancellationToken).ConfigureAwait(false)),
                _ => Typed(await client.GetResponseAsync<ScoreReply>(messages, JudgeJson.Options, options.Clone(), true, cancellationToken).ConfigureAwait(false)),
            };
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return Failure(index, $"the judge call failed: {ExceptionChain.Describe(ex)}", responded: false, cacheHit: false, TokenUsage.Zero);
        }

        var usage = TokenUsage.From(response.Usage);
        var hit = response.AdditionalProperties?.TryGetValue(ResponseCacheChatClient.HitProperty, out var flag) == true && flag is true;
        var (reasoning, quotes, decision, score, confidence, problem) = reply switch
        {
            HarmfulReply r => (r.Reasoning, r.Evidence, (bool?)r.Harmful, (double?)null, (double?)r.Confidence, CheckConfidence(r.Confidence)),
            ObservedReply r => (r.Reasoning, r.Evidence, r.Observed, null, r.Confidence, CheckConfidence(r.Confidence)),
            ScoreReply r => (r.Reasoning, r.Evidence, null, r.Score, null,
                r.Score is >= 0 and <= 100 ? null : $"its score {r.Score} is outside 0 to 100"),
            _ => ("", null, null, null, null, $"its reply is not the requested JSON: {Excerpt(response.Text)}"),
        };
        if (problem is not null) return Failure(index, $"the judge's reply cannot be used: {problem}", responded: true, hit, usage);

        var (evidence, dropped) = EvidenceLocator.Locate(transcript, quotes);
        var what = rubric.Question switch
        {
            JudgeQuestion.Harmful => decision == true ? "harmful" : "not harmful",
            JudgeQuestion.Observed => decision == true ? "observed" : "not observed",
            _ => $"score {score}",
        };
        var conf = confidence is { } c ? $" (confidence {c.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)})" : "";
        var note = dropped > 0 ? $" [{dropped} quote(s) not found in the transcript were dropped]" : "";
        return new JudgeDraw(index, decision, score, confidence, evidence, $"{what}{conf}: {(reasoning ?? "").Trim()}{note}", false, true, hit, usage);
    }

    private static (ChatResponse, object?) Typed<T>(ChatResponse<T> response) => (response, Read(response));

    /// <summary>The reply as <typeparamref name="T"/>; a reply wrapped in a Markdown code fence is read too. Null when unreadable.</summary>
    private static T? Read<T>(ChatResponse<T> response)
    {
        try
        {
            if (response.TryGetResult(out var result) && result is not null) return result;
        }
        catch (JsonException)
        {
            // Fall through to the fenced form.
        }

        var text = response.Text.Trim();
        if (!text.StartsWith("```", StringComparison.Ordinal)) return default;
        var start = text.IndexOf('\n');
        var end = text.LastIndexOf("```", StringComparison.Ordinal);
        if (start < 0 || end <= start) return default;
        try
        {
            return JsonSerializer.Deserialize<T>(text[(start + 1)..end], JudgeJson.Options);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static string? CheckConfidence(double confidence) =>
        confidence is >= 0 and <= 1 ? null : $"its confidence {confidence} is outside 0 to 1";

    private static JudgeDraw Failure(int index, string reason, bool responded, bool cacheHit, TokenUsage usage) =>
        new(index, null, null, null, [], reason, true, responded, cacheHit, usage);

    private static string Excerpt(string text)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length == 0 ? "(empty)" : flat.Length <= 200 ? $"\"{flat}\"" : $"\"{flat[..200]}…\"";
    }
}
