using Keel.Transcripts;

namespace Keel.Models;

/// <summary>USD per million tokens. Input covers uncached input; cache writes and reads have their own prices.</summary>
public sealed record Prices(decimal Input, decimal Output, decimal CacheWrite, decimal CacheRead)
{
    /// <summary>The cost of <paramref name="usage"/>. Input token counts include cache reads and writes, as providers report them.</summary>
    public decimal Cost(TokenUsage usage)
    {
        var uncached = Math.Max(0, usage.InputTokens - usage.CacheReadTokens - usage.CacheWriteTokens);
        return (uncached * Input + usage.OutputTokens * Output + usage.CacheWriteTokens * CacheWrite + usage.CacheReadTokens * CacheRead) / 1_000_000m;
    }
}

/// <summary>Default sampling parameters sent with every call unless the caller sets them.</summary>
/// <param name="Temperature">Sampling temperature.</param>
/// <param name="MaxTokens">Output token cap per call.</param>
/// <param name="ReasoningEffort">low, medium or high: OpenAI reasoning effort; Anthropic adaptive thinking.</param>
public sealed record ModelDefaults(double? Temperature = null, int? MaxTokens = null, string? ReasoningEffort = null);

/// <summary>
/// How to reach one model and what it costs: a models-file entry, or the built-in defaults for a bare spec.
/// Stored with each run (it holds the name of the key's environment variable, never the key).
/// </summary>
/// <param name="Spec">The model spec, e.g. <c>openai-compatible/qwen2.5-7b</c>.</param>
/// <param name="BaseUrl">Endpoint override.</param>
/// <param name="ApiKeyEnv">Environment variable that holds the key.</param>
/// <param name="MaxConcurrency">Upper bound for this endpoint's adaptive concurrency; null means the run's --concurrency.</param>
/// <param name="MinConcurrency">Lower bound for adaptive concurrency.</param>
/// <param name="RequestsPerMinute">Client-side request rate limit.</param>
/// <param name="TokensPerMinute">Client-side token rate limit (estimated from request size before sending).</param>
/// <param name="Prices">Prices per million tokens; null when unknown (costs then show as unknown).</param>
/// <param name="Defaults">Default sampling parameters.</param>
/// <param name="Retries">Retries per call; null for the default (8).</param>
/// <param name="RetryBaseDelaySeconds">First backoff delay in seconds; null for the default (1 s).</param>
public sealed record EndpointConfig(
    string Spec,
    string? BaseUrl = null,
    string? ApiKeyEnv = null,
    int? MaxConcurrency = null,
    int MinConcurrency = 1,
    int? RequestsPerMinute = null,
    int? TokensPerMinute = null,
    Prices? Prices = null,
    ModelDefaults? Defaults = null,
    int? Retries = null,
    double? RetryBaseDelaySeconds = null);
