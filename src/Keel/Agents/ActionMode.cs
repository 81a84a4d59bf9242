namespace Keel.Agents;

/// <summary>How the agent expresses tool calls.</summary>
public enum ActionMode
{
    /// <summary>The provider's native tool calling (default).</summary>
    Native,

    /// <summary><c>&lt;tool_use:NAME&gt;</c> blocks in the reply text, the published framework's format.</summary>
    Text,
}

/// <summary>Limits and mode of one agent run.</summary>
/// <param name="Mode">Native tool calls or text actions.</param>
/// <param name="MaxTurns">Model turns before the run stops.</param>
/// <param name="MaxTokens">Total tokens (input + output, all turns) before the run stops; null for no limit.</param>
public sealed record AgentOptions(ActionMode Mode = ActionMode.Native, int MaxTurns = 10, long? MaxTokens = null);
