using System.Globalization;
using Keel.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keel.Models;

/// <summary>
/// Reads a models file (<c>keel.models.yaml</c>): named endpoints with base URL, key variable,
/// concurrency and rate limits, prices and default parameters. Errors name file:line:column.
/// </summary>
public static class ModelsFile
{
    /// <summary>The file read when present in the working directory and no --models is given.</summary>
    public const string DefaultName = "keel.models.yaml";

    /// <summary>Loads the endpoints a models file declares, keyed by spec.</summary>
    public static IReadOnlyDictionary<string, EndpointConfig> Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputFormatException(new SourceLocation(path, 1, 1), $"cannot read the models file: {ex.Message}");
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new InputFormatException(new SourceLocation(path, ex.Start.Line, ex.Start.Column), $"invalid YAML: {(ex.InnerException ?? ex).Message}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InputFormatException(new SourceLocation(path, 1, 1), "a models file must be a mapping with a 'models:' list");
        }

        var doc = new YamlMap(root, path, "the models file", n => n.Value ?? "");
        doc.AllowOnly("models");
        var result = new Dictionary<string, EndpointConfig>(StringComparer.Ordinal);
        foreach (var node in doc.RequiredSequence("models"))
        {
            var entry = doc.AsMap(node, "models", "a model entry");
            entry.AllowOnly("spec", "base_url", "api_key_env", "max_concurrency", "min_concurrency", "requests_per_minute", "tokens_per_minute", "prices", "defaults", "retries", "retry_base_delay");
            var specText = entry.RequiredLiteral("spec");
            ModelSpec spec;
            try
            {
                spec = ModelSpec.Parse(specText);
            }
            catch (ModelSpecException ex)
            {
                throw entry.Error(entry.Required("spec"), ex.Message);
            }

            if (result.ContainsKey(spec.ToString())) throw entry.Error(entry.Required("spec"), $"model '{spec}' is listed twice");
            var max = Int(entry, "max_concurrency", 1);
            var min = Int(entry, "min_concurrency", 1) ?? 1;
            if (max is { } m && min > m) throw entry.Error(entry.Required("min_concurrency"), $"min_concurrency ({min}) is above max_concurrency ({m})");
            result[spec.ToString()] = new EndpointConfig(
                spec.ToString(),
                entry.OptionalLiteral("base_url"),
                entry.OptionalLiteral("api_key_env"),
                max,
                min,
                Int(entry, "requests_per_minute", 1),
                Int(entry, "tokens_per_minute", 1),
                ReadPrices(entry),
                ReadDefaults(entry),
                Int(entry, "retries", 0),
                Seconds(entry, "retry_base_delay"));
        }

        return result;
    }

    private static Prices? ReadPrices(YamlMap entry)
    {
        if (entry.OptionalMap("prices", "prices") is not { } p) return null;
        p.AllowOnly("input", "output", "cache_write", "cache_read");
        var input = Decimal(p, "input") ?? throw new InputFormatException(p.At, "prices need 'input' (USD per million input tokens)");
        var output = Decimal(p, "output") ?? throw new InputFormatException(p.At, "prices need 'output' (USD per million output tokens)");
        return new Prices(input, output, Decimal(p, "cache_write") ?? input, Decimal(p, "cache_read") ?? input);
    }

    private static ModelDefaults? ReadDefaults(YamlMap entry)
    {
        if (entry.OptionalMap("defaults", "defaults") is not { } d) return null;
        d.AllowOnly("temperature", "max_tokens", "reasoning_effort");
        var effort = d.OptionalLiteral("reasoning_effort");
        if (effort is not (null or "low" or "medium" or "high"))
        {
            throw d.Error(d.Required("reasoning_effort"), $"reasoning_effort must be low, medium or high, not '{effort}'");
        }

        double? temperature = null;
        if (d.OptionalLiteral("temperature") is { } t)
        {
            if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || value > 2)
            {
                throw d.Error(d.Required("temperature"), $"temperature must be a number from 0 to 2, not '{t}'");
            }

            temperature = value;
        }

        return new ModelDefaults(temperature, Int(d, "max_tokens", 1), effort);
    }

    private static int? Int(YamlMap map, string key, int minimum)
    {
        if (map.OptionalLiteral(key) is not { } text) return null;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw map.Error(map.Required(key), $"'{key}' must be a whole number of at least {minimum}, not '{text}'");
    }

    private static double? Seconds(YamlMap map, string key)
    {
        if (map.OptionalLiteral(key) is not { } text) return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw map.Error(map.Required(key), $"'{key}' must be a number of seconds above 0, not '{text}'");
    }

    private static decimal? Decimal(YamlMap map, string key)
    {
        if (map.OptionalLiteral(key) is not { } text) return null;
        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw map.Error(map.Required(key), $"'{key}' must be a non-negative number (USD per million tokens), not '{text}'");
    }
}
