namespace Keel.Models;

/// <summary>Turns the specs a user names into endpoints: the models-file entry when there is one, else the bare spec.</summary>
public static class EndpointResolver
{
    /// <summary>Resolves every spec; <paramref name="baseUrl"/> (from --base-url) overrides each provider endpoint's URL.</summary>
    public static IReadOnlyList<EndpointConfig> Resolve(IEnumerable<string> specs, IReadOnlyDictionary<string, EndpointConfig>? modelsFile, string? baseUrl)
    {
        var endpoints = specs.Select(s => ModelSpec.Parse(s).ToString())
            .Select(spec => modelsFile?.GetValueOrDefault(spec) ?? new EndpointConfig(spec))
            .ToList();
        return baseUrl is null ? endpoints : WithBaseUrl(endpoints, baseUrl);
    }

    /// <summary>Points every non-reference endpoint at <paramref name="baseUrl"/>.</summary>
    public static IReadOnlyList<EndpointConfig> WithBaseUrl(IEnumerable<EndpointConfig> endpoints, string baseUrl) =>
        endpoints.Select(e => e.Spec.StartsWith("reference/", StringComparison.Ordinal) ? e : e with { BaseUrl = baseUrl }).ToList();
}
