using Keel.Yaml;
using System.Reflection;

namespace Keel.Suites;

/// <summary>Finds a suite by built-in name (<c>core</c>) or by file path.</summary>
public static class SuiteResolver
{
    private const string Prefix = "Keel.Suites.";

    /// <summary>Names of the suites embedded in Keel.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = typeof(SuiteResolver).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^".yaml".Length])
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// Loads <paramref name="reference"/>: a path to a YAML file if one exists there (or it ends in .yaml/.yml),
    /// otherwise a built-in suite name.
    /// </summary>
    public static Suite Resolve(string reference, SuiteLoader? loader = null)
    {
        loader ??= SuiteLoader.Default;
        var looksLikePath = reference.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
            || reference.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
            || reference.Contains('/') || reference.Contains('\\');
        if (File.Exists(reference) || looksLikePath) return loader.LoadFile(reference);

        using var stream = typeof(SuiteResolver).Assembly.GetManifestResourceStream(Prefix + reference + ".yaml");
        if (stream is null)
        {
            throw new InputFormatException(new SourceLocation(reference, 1, 1),
                $"no suite file or built-in suite named '{reference}'; built-in suites: {string.Join(", ", BuiltInNames)}");
        }

        using var reader = new StreamReader(stream);
        return loader.Load(reader.ReadToEnd(), $"suites/{reference}.yaml", $"builtin:{reference}");
    }
}
