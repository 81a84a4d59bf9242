using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using Anthropic;
using Keel.Models.Http;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Keel.Models;

/// <summary>Run-wide settings for the models of a run.</summary>
/// <param name="Concurrency">The run's --concurrency: the default upper bound of each endpoint's adaptive concurrency.</param>
/// <param name="RequestTimeout">Per-attempt request timeout.</param>
/// <param name="Telemetry">Emit OpenTelemetry spans (GenAI conventions) for every chat call.</param>
/// <param name="Batch">Batch mode (Anthropic Message Batches, OpenAI Batch API); null for direct calls.</param>
public sealed record ModelRunSettings(int Concurrency = 8, TimeSpan? RequestTimeout = null, bool Telemetry = false, Keel.Models.Batch.BatchOptions? Batch = null)
{
    /// <summary>Defaults for tests and tools.</summary>
    public static ModelRunSettings Default { get; } = new();
}

/// <summary>
/// Creates <see cref="IAgentModel"/>s through the official SDKs behind <see cref="IChatClient"/>, each over its
/// own resilient HTTP stack (<see cref="ResilienceHandler"/>). Keys come from <c>ANTHROPIC_API_KEY</c> /
/// <c>OPENAI_API_KEY</c> or the variable the endpoint names; <c>ANTHROPIC_BASE_URL</c> and <c>OPENAI_BASE_URL</c>
/// are honoured. Keys are never stored or printed: each is registered with <see cref="Secrets"/>, and a provider error that
/// quotes it back is masked (<see cref="RedactingChatClient"/>).
/// </summary>
public sealed class ModelFactory(Func<string, string?>? environment = null)
{
    /// <summary>The name M.E.AI's OpenTelemetry middleware uses for Keel's spans.</summary>
    public const string TelemetrySource = "Keel";

    private readonly Func<string, string?> _env = environment ?? System.Environment.GetEnvironmentVariable;

    /// <summary>Creates the model an endpoint describes.</summary>
    public IAgentModel Create(EndpointConfig endpoint, ModelRunSettings settings, IResponseCache? cache = null, Keel.Models.Batch.IBatchStore? batches = null)
    {
        var spec = ModelSpec.Parse(endpoint.Spec);
        if (spec.Provider == "reference") return new ReferenceModel(spec);
        if (spec.Parameters.Count > 0) throw new ModelSpecException($"model {spec}: parameters after '?' are only for reference agents");

        var key = spec.Provider switch
        {
            "anthropic" => Require(endpoint.ApiKeyEnv ?? "ANTHROPIC_API_KEY", spec),
            "openai" => Require(endpoint.ApiKeyEnv ?? "OPENAI_API_KEY", spec),
            "openai-compatible" => endpoint.ApiKeyEnv is { } name ? Require(name, spec) : _env("OPENAI_API_KEY") ?? "none",
            _ => endpoint.ApiKeyEnv is { } ollamaKey ? Require(ollamaKey, spec) : "ollama",
        };
        var baseUrl = spec.Provider switch
        {
            "anthropic" => endpoint.BaseUrl ?? _env("ANTHROPIC_BASE_URL"),
            "openai" => endpoint.BaseUrl ?? _env("OPENAI_BASE_URL"),
            "openai-compatible" => endpoint.BaseUrl
                ?? throw new ModelSpecException($"model {spec} needs --base-url or a base_url in the models file (e.g. http://localhost:8000/v1 for vLLM)"),
            _ => endpoint.BaseUrl ?? _env("OLLAMA_BASE_URL") ?? "http://localhost:11434/v1",
        };
        if (baseUrl is { Length: > 0 }) CheckUrl(baseUrl, spec);

        var resilience = new ResilienceOptions(settings.RequestTimeout ?? ResilienceOptions.Default.RequestTimeout,
            endpoint.Retries ?? ResilienceOptions.Default.MaxRetries,
            endpoint.RetryBaseDelaySeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null);
        var limiter = new AdaptiveConcurrencyLimiter(endpoint.MinConcurrency, Math.Max(endpoint.MinConcurrency, endpoint.MaxConcurrency ?? settings.Concurrency));
        var transport = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.All,
            MaxConnectionsPerServer = int.MaxValue,
        };
        HttpMessageHandler handler = new ResilienceHandler(resilience, limiter, endpoint.RequestsPerMinute, endpoint.TokensPerMinute, transport);
        Keel.Models.Batch.BatchingHandler? batching = null;
        if (settings.Batch is { } batch)
        {
            if (spec.Provider is not ("anthropic" or "openai" or "openai-compatible"))
            {
                throw new ModelSpecException($"--batch needs a provider with a batch API (anthropic, openai); {spec} has none");
            }

            Keel.Models.Batch.IBatchProtocol protocol = spec.Provider == "anthropic" ? new Keel.Models.Batch.AnthropicBatchProtocol() : new Keel.Models.Batch.OpenAiBatchProtocol();
            handler = batching = new Keel.Models.Batch.BatchingHandler(protocol, batches ?? throw new ArgumentNullException(nameof(batches), "batch mode needs a batch store"),
                spec.ToString(), batch, handler);
        }

        var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };

        var maxTokens = endpoint.Defaults?.MaxTokens ?? 4096;
        Secrets.Register(key);
        var inner = spec.Provider == "anthropic"
            ? AnthropicClient(spec.Name, key, baseUrl, http, maxTokens)
            : OpenAiClient(spec.Name, key, baseUrl, http, batch: settings.Batch is not null);
        // Innermost: an error that quotes the key is masked before telemetry, the agent loop or the store see it.
        var builder = new ChatClientBuilder(new RedactingChatClient(inner));
        if (spec.Provider == "anthropic") builder.Use(client => new PromptCachingChatClient(client));
        if (settings.Telemetry) builder.UseOpenTelemetry(sourceName: TelemetrySource);
        return new ProviderModel(spec.ToString(), builder.Build(), http, limiter, cache, batching, endpoint.Defaults);
    }

    /// <summary>
    /// Creates the LLM judge a run grades with: a provider model over its own HTTP stack (retries, circuit breaker,
    /// limits, adaptive concurrency), cached like an agent but never in batch mode. A reference agent is not a model
    /// and cannot judge. Errors name the judge.
    /// </summary>
    public ProviderModel CreateJudge(EndpointConfig endpoint, ModelRunSettings settings, IResponseCache? cache = null)
    {
        if (ModelSpec.Parse(endpoint.Spec).Provider == "reference") throw new ModelSpecException(JudgeIsNotAModel(endpoint.Spec));
        try
        {
            return (ProviderModel)Create(endpoint, settings with { Batch = null }, cache);
        }
        catch (ModelSpecException ex)
        {
            throw new ModelSpecException($"--judge: {ex.Message}");
        }
    }

    /// <summary>The error for a reference spec given as the judge.</summary>
    public static string JudgeIsNotAModel(string spec) =>
        $"--judge {spec}: reference/* agents are known-behaviour scripts, not models, and cannot judge; give a model spec such as anthropic/claude-sonnet-4-5 or openai/gpt-4.1";

    /// <summary>Fills unset options from the endpoint's defaults.</summary>
    public static void ApplyDefaults(ChatOptions options, ModelDefaults? defaults)
    {
        if (defaults is null) return;
        options.Temperature ??= (float?)defaults.Temperature;
        options.MaxOutputTokens ??= defaults.MaxTokens;
        if (defaults.ReasoningEffort is { } effort && options.Reasoning is null)
        {
            options.Reasoning = new ReasoningOptions
            {
                Effort = effort switch { "low" => ReasoningEffort.Low, "high" => ReasoningEffort.High, _ => ReasoningEffort.Medium },
            };
        }
    }

    /// <summary>
    /// The chat client for an Anthropic endpoint over <paramref name="http"/>, as <see cref="Create"/> builds it (the SDK's own
    /// retries off, tool declarations converted once: <see cref="AnthropicToolsChatClient"/>), without prompt caching, the response
    /// cache or defaults above it.
    /// </summary>
    public static IChatClient AnthropicClient(string model, string key, string? baseUrl, HttpClient http, int maxTokens)
    {
        var client = baseUrl is { Length: > 0 }
            ? new AnthropicClient { ApiKey = key, BaseUrl = baseUrl, HttpClient = http, MaxRetries = 0, Timeout = SdkTimeout }
            : new AnthropicClient { ApiKey = key, HttpClient = http, MaxRetries = 0, Timeout = SdkTimeout };
        return new AnthropicToolsChatClient(client.AsIChatClient(model, maxTokens));
    }

    /// <summary>
    /// The chat client for an OpenAI-protocol endpoint over <paramref name="http"/>, as <see cref="Create"/> builds it (the SDK's own
    /// retries off; Keel's HTTP stack decides), without the response cache or defaults above it. In batch mode the SDK's
    /// timeout is <see cref="SdkTimeout"/>; for direct calls it has none, since the resilience handler's per-attempt timeout
    /// and bounded retries always end a call long before 25 h (and the SDK's timer per call is CPU under contention).
    /// </summary>
    public static IChatClient OpenAiClient(string model, string key, string? baseUrl, HttpClient http, bool batch = false)
    {
        var options = new OpenAIClientOptions
        {
            Transport = new Http.ExactBodyTransport(http),
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = batch ? SdkTimeout : Timeout.InfiniteTimeSpan,
            ClientLoggingOptions = new ClientLoggingOptions { EnableLogging = false, EnableMessageLogging = false, EnableMessageContentLogging = false },
        };
        if (baseUrl is { Length: > 0 }) options.Endpoint = new Uri(baseUrl);
        return new OpenAiToolsChatClient(new OpenAIClient(new ApiKeyCredential(key), options).GetChatClient(model).AsIChatClient());
    }

    /// <summary>The SDKs' own timeout: long enough for a batch (24 h window); Keel's per-attempt timeout is the real one.</summary>
    private static readonly TimeSpan SdkTimeout = TimeSpan.FromHours(25);

    private static void CheckUrl(string url, ModelSpec spec)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ModelSpecException($"base URL '{url}' for {spec} is not an http(s) URL");
        }
    }

    private string Require(string variable, ModelSpec spec) =>
        _env(variable) is { Length: > 0 } key ? key : throw new ModelSpecException($"model {spec} needs an API key: set {variable}");
}
