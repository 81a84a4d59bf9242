using Keel.Transcripts;

namespace Keel.Grading.Judges;

/// <summary>What grading one sample with the LLM judge used: calls, cache hits, billed tokens and cost.</summary>
/// <param name="Calls">Judge calls that returned a response, cache hits included.</param>
/// <param name="CacheHits">Of those, calls served from the response cache (free).</param>
/// <param name="Tokens">Tokens billed: summed over the calls sent to the provider (cache hits excluded).</param>
/// <param name="CostUsd">Cost from the judge endpoint's prices; null when it has none.</param>
public sealed record JudgeUsage(int Calls, int CacheHits, TokenUsage Tokens, decimal? CostUsd)
{
    /// <summary>No calls.</summary>
    public static JudgeUsage None { get; } = new(0, 0, TokenUsage.Zero, null);
}
