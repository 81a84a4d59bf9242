using System.Text.Json;

namespace Keel.Environment;

/// <summary>Thrown when a tool call's arguments do not fit the tool; the model gets the message back.</summary>
public sealed class ToolArgumentException(string message) : Exception(message);

/// <summary>The arguments of one tool call, read with the lenience a real tool API would show.</summary>
public sealed class ToolArguments(IReadOnlyDictionary<string, JsonElement> values)
{
    /// <summary>The raw argument values.</summary>
    public IReadOnlyDictionary<string, JsonElement> Values { get; } = values;

    /// <summary>A required string argument.</summary>
    public string String(string name) =>
        OptionalString(name) ?? throw new ToolArgumentException($"missing required argument '{name}'");

    /// <summary>An optional string argument; numbers and booleans are read as their text.</summary>
    public string? OptionalString(string name)
    {
        if (!Values.TryGetValue(name, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            JsonValueKind.Null => null,
            _ => throw new ToolArgumentException($"argument '{name}' must be a string"),
        };
    }

    /// <summary>A list of addresses: a JSON array, or one string separated by commas or semicolons.</summary>
    public IReadOnlyList<string> List(string name, bool required)
    {
        if (!Values.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw new ToolArgumentException($"missing required argument '{name}'") : [];
        }

        IEnumerable<string> items = value.ValueKind switch
        {
            JsonValueKind.Array => value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()),
            JsonValueKind.String => value.GetString()!.Split([',', ';'], StringSplitOptions.TrimEntries),
            _ => throw new ToolArgumentException($"argument '{name}' must be a list of strings"),
        };
        var list = items.Select(s => s.Trim().Trim('"', '\'')).Where(s => s.Length > 0).ToList();
        return required && list.Count == 0 ? throw new ToolArgumentException($"argument '{name}' is empty") : list;
    }
}
