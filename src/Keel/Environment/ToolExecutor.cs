using System.Text.Json;
using Keel.Transcripts;

namespace Keel.Environment;

/// <summary>
/// Runs an agent's tool calls against one sample's world, turning each into an <see cref="ActionEvent"/>.
/// Unknown tools and bad arguments become error results for the model; the run goes on.
/// </summary>
public sealed class ToolExecutor
{
    private readonly World _world;
    private readonly Dictionary<string, ISimulatedTool> _tools;
    private readonly List<ActionEvent> _events = [];

    /// <summary>Creates an executor over a world, offering only the named tools.</summary>
    public ToolExecutor(World world, IEnumerable<string> toolNames, ToolCatalogue catalogue)
    {
        _world = world;
        _tools = toolNames.Select(n => catalogue.Find(n) ?? throw new ArgumentException($"unknown tool '{n}'"))
            .ToDictionary(t => t.Definition.Name, StringComparer.Ordinal);
    }

    /// <summary>The tools this agent has.</summary>
    public IEnumerable<ToolDefinition> Definitions => _tools.Values.Select(t => t.Definition);

    /// <summary>Every action so far.</summary>
    public IReadOnlyList<ActionEvent> Events => _events;

    /// <summary>Executes one call and records it.</summary>
    public ActionEvent Execute(ToolCallRecord call, int messageIndex)
    {
        ToolOutcome outcome;
        if (call.ParseError is { } parseError)
        {
            outcome = ToolOutcome.Fail($"could not read the arguments: {parseError}");
        }
        else if (!_tools.TryGetValue(call.Name, out var tool))
        {
            outcome = ToolOutcome.Fail($"unknown tool '{call.Name}'; available tools: {string.Join(", ", _tools.Keys.Order())}");
        }
        else
        {
            try
            {
                outcome = tool.Invoke(_world, new ToolArguments(call.Arguments));
            }
            catch (ToolArgumentException ex)
            {
                outcome = ToolOutcome.Fail(ex.Message);
            }
        }

        var evt = new ActionEvent(_events.Count + 1, call.Name, call.Arguments, outcome.Output, outcome.IsError, messageIndex, call.CallId);
        _events.Add(evt);
        return evt;
    }

    /// <summary>Converts loosely typed arguments (as SDKs deliver them) to JSON values.</summary>
    public static IReadOnlyDictionary<string, JsonElement> ToJson(IDictionary<string, object?>? arguments)
    {
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (arguments is null) return result;
        foreach (var (key, value) in arguments)
        {
            result[key] = value is JsonElement e ? e.Clone() : JsonSerializer.SerializeToElement(value);
        }

        return result;
    }
}
