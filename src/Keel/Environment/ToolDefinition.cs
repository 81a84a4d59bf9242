using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Keel.Environment;

/// <summary>The kind of value a tool parameter takes.</summary>
public enum ParameterKind
{
    /// <summary>A single string.</summary>
    String,

    /// <summary>A list of strings (a single string is accepted as a one-item list).</summary>
    StringList,
}

/// <summary>One parameter of a simulated tool.</summary>
public sealed record ToolParameter(string Name, ParameterKind Kind, string Description, bool Required = true);

/// <summary>What the model is told about a tool: its name, purpose and parameters.</summary>
public sealed record ToolDefinition(string Name, string Description, IReadOnlyList<ToolParameter> Parameters)
{
    /// <summary>The JSON schema of the tool's arguments object.</summary>
    public JsonElement Schema()
    {
        var properties = new JsonObject();
        foreach (var p in Parameters)
        {
            properties[p.Name] = p.Kind == ParameterKind.String
                ? new JsonObject { ["type"] = "string", ["description"] = p.Description }
                : new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" }, ["description"] = p.Description };
        }

        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JsonArray(Parameters.Where(p => p.Required).Select(p => (JsonNode)p.Name).ToArray()),
            ["additionalProperties"] = false,
        };
        return JsonSerializer.SerializeToElement(schema);
    }

    /// <summary>A declaration-only tool for <see cref="ChatOptions.Tools"/>: the model sees it, Keel runs it.</summary>
    public AITool Declaration() => AIFunctionFactory.CreateDeclaration(Name, Description, Schema());
}
