namespace Keel.Store;

/// <summary>What one model of a run used and cost, over its stored samples.</summary>
/// <param name="Model">Model spec.</param>
/// <param name="Samples">Stored samples (done or error).</param>
/// <param name="InputTokens">Billed input tokens, cache reads and writes included.</param>
/// <param name="OutputTokens">Billed output tokens.</param>
/// <param name="CacheReadTokens">Input tokens read from the provider's prompt cache.</param>
/// <param name="CacheWriteTokens">Input tokens written to the provider's prompt cache.</param>
/// <param name="ModelCalls">Model calls, including those served from Keel's response cache.</param>
/// <param name="CacheHits">Model calls served from Keel's response cache (free).</param>
/// <param name="CostUsd">Cost from the endpoint's prices; null when the model has no prices.</param>
public sealed record ModelUsage(
    string Model,
    int Samples,
    long InputTokens,
    long OutputTokens,
    long CacheReadTokens,
    long CacheWriteTokens,
    long ModelCalls,
    long CacheHits,
    decimal? CostUsd);
