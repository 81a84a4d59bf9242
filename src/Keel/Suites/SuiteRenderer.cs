using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Keel.Environment;

namespace Keel.Suites;

/// <summary>One rendered file: its path under the output directory and its exact bytes.</summary>
public sealed record RenderedFile(string Path, byte[] Content)
{
    /// <summary>SHA-256 of the content.</summary>
    public string Hash => Convert.ToHexStringLower(SHA256.HashData(Content));
}

/// <summary>
/// Writes each condition's exact stimulus (system prompt, kickoff, scripted reactions, initial world, tool schemas) as files with
/// content hashes, so what a model was shown can be audited. Output is byte-stable: UTF-8, LF line ends,
/// fixed key order, no timestamps.
/// </summary>
public sealed class SuiteRenderer(ToolCatalogue catalogue)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NewLine = "\n",
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitEmptyOptionalWorldSections } },
    };

    /// <summary>Leaves a world's optional sections out when they are empty, so worlds without them render as before.</summary>
    private static void OmitEmptyOptionalWorldSections(JsonTypeInfo info)
    {
        if (info.Type != typeof(WorldSpec)) return;
        foreach (var property in info.Properties)
        {
            if (property.AttributeProvider is System.Reflection.PropertyInfo p && WorldSpec.OptionalSections.Contains(p.Name))
            {
                property.ShouldSerialize = (_, value) => value is not null && value is not System.Collections.ICollection { Count: 0 };
            }
        }
    }

    /// <summary>A renderer over the built-in tools.</summary>
    public static SuiteRenderer Default { get; } = new(ToolCatalogue.Default);

    /// <summary>The files for the selected conditions (all when <paramref name="conditionId"/> is null), plus a manifest.</summary>
    public IReadOnlyList<RenderedFile> Render(Suite suite, string? conditionId = null)
    {
        var conditions = conditionId is null ? suite.Conditions : suite.Conditions.Where(c => c.Id == conditionId).ToList();
        if (conditions.Count == 0)
        {
            throw new ArgumentException($"suite '{suite.Id}' has no condition '{conditionId}'; see 'keel suites show {suite.Id}' for its condition ids");
        }

        var files = new List<RenderedFile>();
        foreach (var c in conditions)
        {
            var dir = c.Id;
            files.Add(Text($"{dir}/system_prompt.txt", c.Spec.SystemPrompt));
            files.Add(Text($"{dir}/kickoff.txt", c.Spec.Kickoff));
            if (c.Spec.Reactions.Count > 0) files.Add(JsonFile($"{dir}/reactions.json", c.Spec.Reactions));
            files.Add(JsonFile($"{dir}/world.json", c.Spec.World));
            var tools = c.Spec.Tools.Select(name => catalogue.Find(name)!.Definition)
                .Select(t => new { t.Name, t.Description, Parameters = t.Schema() });
            files.Add(JsonFile($"{dir}/tools.json", tools));
        }

        var manifest = new
        {
            Suite = suite.Id,
            suite.Version,
            SuiteHash = suite.ContentHash,
            Files = files.Select(f => new { f.Path, Sha256 = f.Hash }),
        };
        files.Add(JsonFile("manifest.json", manifest));
        return files;
    }

    /// <summary>SHA-256 over every file's path and hash, in order: one number for the whole rendering.</summary>
    public static string CombinedHash(IEnumerable<RenderedFile> files) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(files.Select(f => $"{f.Path}\n{f.Hash}\n")))));

    private static RenderedFile Text(string path, string text) =>
        new(path, Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n").TrimEnd('\n') + "\n"));

    private static RenderedFile JsonFile<T>(string path, T value) =>
        new(path, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value, Json) + "\n"));
}
