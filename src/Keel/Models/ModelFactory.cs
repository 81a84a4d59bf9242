using System.ClientModel;
using Anthropic;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Keel.Models;

/// <summary>Provider settings that are not part of the spec.</summary>
/// <param name="BaseUrl">Overrides the provider's endpoint (needed for openai-compatible).</param>
/// <param name="MaxOutputTokens">Per-call output token cap passed to the provider.</param>
public sealed record ProviderSettings(string? BaseUrl = null, int MaxOutputTokens = 4096);

/// <summary>
/// Creates <see cref="IAgentModel"/>s from specs through the official SDKs behind <see cref="IChatClient"/>.
/// Keys come from <c>ANTHROPIC_API_KEY</c> / <c>OPENAI_API_KEY</c>; <c>ANTHROPIC_BASE_URL</c> and
/// <c>OPENAI_BASE_URL</c> are honoured. Keys are never stored or printed.
/// </summary>
public sealed class ModelFactory(Func<string, string?>? environment = null)
{
    private readonly Func<string, string?> _env = environment ?? System.Environment.GetEnvironmentVariable;

    /// <summary>Creates the model a spec names.</summary>
    public IAgentModel Create(ModelSpec spec, ProviderSettings settings)
    {
        if (spec.Provider == "reference") return new ReferenceModel(spec);
        if (spec.Parameters.Count > 0) throw new ModelSpecException($"model {spec}: parameters after '?' are only for reference agents");
        return new ProviderModel(spec.ToString(), spec.Provider switch
        {
            "anthropic" => Anthropic(spec, settings),
            "openai" => OpenAi(spec, Require(_env("OPENAI_API_KEY"), "OPENAI_API_KEY", spec), settings.BaseUrl ?? _env("OPENAI_BASE_URL")),
            "openai-compatible" => OpenAi(spec, _env("OPENAI_API_KEY") ?? "none",
                settings.BaseUrl ?? throw new ModelSpecException($"model {spec} needs --base-url (e.g. http://localhost:8000/v1 for vLLM)")),
            "ollama" => OpenAi(spec, "ollama", settings.BaseUrl ?? _env("OLLAMA_BASE_URL") ?? "http://localhost:11434/v1"),
            _ => throw new ModelSpecException($"unknown provider '{spec.Provider}'"),
        });
    }

    private IChatClient Anthropic(ModelSpec spec, ProviderSettings settings)
    {
        var key = Require(_env("ANTHROPIC_API_KEY"), "ANTHROPIC_API_KEY", spec);
        var baseUrl = settings.BaseUrl ?? _env("ANTHROPIC_BASE_URL");
        var client = baseUrl is { Length: > 0 }
            ? new AnthropicClient { ApiKey = key, BaseUrl = CheckUrl(baseUrl, spec) }
            : new AnthropicClient { ApiKey = key };
        return client.AsIChatClient(spec.Name, settings.MaxOutputTokens);
    }

    private static IChatClient OpenAi(ModelSpec spec, string key, string? baseUrl)
    {
        var options = new OpenAIClientOptions();
        if (baseUrl is { Length: > 0 }) options.Endpoint = new Uri(CheckUrl(baseUrl, spec));
        return new OpenAIClient(new ApiKeyCredential(key), options).GetChatClient(spec.Name).AsIChatClient();
    }

    private static string CheckUrl(string url, ModelSpec spec) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? url
            : throw new ModelSpecException($"base URL '{url}' for {spec} is not an http(s) URL");

    private static string Require(string? key, string variable, ModelSpec spec) =>
        string.IsNullOrWhiteSpace(key) ? throw new ModelSpecException($"model {spec} needs an API key: set {variable}") : key;
}
