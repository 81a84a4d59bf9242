using Keel.Yaml;
using System.Reflection;

namespace Keel.Suites;

/// <summary>Finds a suite by built-in name (<c>core</c>) or by file path.</summary>
public static class SuiteResolver
{
    private const string Prefix = "Keel.Suites.";

    /// <summary>Names of the suites embedded in Keel.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = typeof(SuiteResolver).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal) && !n.Contains('/'))
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
        if (!IsBuiltIn(reference)) return loader.LoadFile(reference);

        var text = BuiltIn(reference + ".yaml") ?? throw new InputFormatException(new SourceLocation(reference, 1, 1),
            $"no suite file or built-in suite named '{reference}'; built-in suites: {string.Join(", ", BuiltInNames)}");
        return loader.Load(text, $"suites/{reference}.yaml", $"builtin:{reference}",
            (path, _) => BuiltIn(path) is { } included ? new IncludedFile($"suites/{path}", included) : null);
    }

    /// <summary>
    /// True when <see cref="Resolve"/> reads <paramref name="reference"/> as a built-in suite name (it is not a file, and
    /// does not look like a path); the name may still be unknown.
    /// </summary>
    public static bool IsBuiltIn(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var looksLikePath = reference.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
            || reference.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
            || reference.Contains('/') || reference.Contains('\\');
        return !File.Exists(reference) && !looksLikePath;
    }

    /// <summary>The text of an embedded file under suites/, by its path there; null when there is none.</summary>
    private static string? BuiltIn(string path)
    {
        using var stream = typeof(SuiteResolver).Assembly.GetManifestResourceStream(Prefix + path);
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
