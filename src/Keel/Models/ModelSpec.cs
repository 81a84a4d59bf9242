namespace Keel.Models;

/// <summary>Thrown for a model spec or provider setting that cannot be used; the message says how to fix it.</summary>
public sealed class ModelSpecException(string message) : Exception(message);

/// <summary>
/// A model named as <c>provider/model</c>, optionally with query parameters:
/// <c>anthropic/claude-sonnet-4-5</c>, <c>openai/gpt-4.1</c>, <c>reference/mixed?p=0.2</c>.
/// </summary>
/// <param name="Provider">reference, anthropic, openai, openai-compatible or ollama.</param>
/// <param name="Name">The provider's model name (may itself contain '/').</param>
/// <param name="Parameters">Query parameters after '?'.</param>
public sealed record ModelSpec(string Provider, string Name, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>Providers Keel can drive.</summary>
    public static IReadOnlyList<string> Providers { get; } = ["reference", "anthropic", "openai", "openai-compatible", "ollama"];

    /// <summary>The spec as the user writes it.</summary>
    public override string ToString() =>
        Parameters.Count == 0 ? $"{Provider}/{Name}" : $"{Provider}/{Name}?{string.Join('&', Parameters.Select(kv => $"{kv.Key}={kv.Value}"))}";

    /// <summary>Parses a spec, with a clear error for anything malformed.</summary>
    public static ModelSpec Parse(string spec)
    {
        var slash = spec.IndexOf('/');
        if (slash <= 0 || slash == spec.Length - 1)
        {
            throw new ModelSpecException($"model '{spec}' must be written provider/model, e.g. reference/mixed, anthropic/claude-sonnet-4-5, openai/gpt-4.1");
        }

        var provider = spec[..slash].ToLowerInvariant();
        if (!Providers.Contains(provider))
        {
            throw new ModelSpecException($"unknown provider '{provider}' in model '{spec}'; providers: {string.Join(", ", Providers)}");
        }

        var rest = spec[(slash + 1)..];
        var query = rest.IndexOf('?');
        var name = query < 0 ? rest : rest[..query];
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (query >= 0)
        {
            foreach (var pair in rest[(query + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                if (eq <= 0) throw new ModelSpecException($"parameter '{pair}' in model '{spec}' must be written key=value");
                parameters[pair[..eq]] = pair[(eq + 1)..];
            }
        }

        if (name.Length == 0) throw new ModelSpecException($"model '{spec}' has no model name after '{provider}/'");
        return new ModelSpec(provider, name, parameters);
    }
}
