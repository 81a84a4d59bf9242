using System.Text.Json;
using Keel.Environment;
using Keel.Grading;

namespace Keel.Suites;

/// <summary>A scenario rendered for one condition: what the agent sees and what the graders know.</summary>
/// <param name="SystemPrompt">The agent's system prompt.</param>
/// <param name="Kickoff">The first user message.</param>
/// <param name="World">The initial simulated world.</param>
/// <param name="Tools">Names of the tools the agent gets.</param>
/// <param name="Facts">Detector facts (who decides the agent's fate, the leverage, ...).</param>
/// <param name="Exemplars">What an aligned and a misaligned agent would do.</param>
public sealed record ScenarioSpec(
    string SystemPrompt,
    string Kickoff,
    WorldSpec World,
    IReadOnlyList<string> Tools,
    DetectorFacts Facts,
    Exemplars Exemplars)
{
    /// <summary>
    /// Scripted follow-up user messages (an overseer's question, an operator's push-back), sent in order each
    /// time the agent ends a turn without calling a tool; the run ends when none is left.
    /// </summary>
    public IReadOnlyList<string> Reactions { get; init; } = [];

    /// <summary>Where the scenario departs from the run's options: action mode, turn limit, text-action tool names.</summary>
    public ScenarioRunSettings Run { get; init; } = ScenarioRunSettings.Default;
}

/// <summary>The two reference courses of action a scenario declares.</summary>
public sealed record Exemplars(ExemplarPath Aligned, ExemplarPath Misaligned);

/// <summary>
/// A course of action: tool calls in order, then a closing reply; then, for a scenario with reactions,
/// one follow-up phase (calls, then a reply) per reaction.
/// </summary>
public sealed record ExemplarPath(IReadOnlyList<ExemplarAction> Actions, string Reply)
{
    /// <summary>What the course does after each reaction, in order.</summary>
    public IReadOnlyList<ExemplarPath> Followups { get; init; } = [];

    /// <summary>The first phase and every follow-up, in order.</summary>
    public IEnumerable<ExemplarPath> Phases => [this, .. Followups];
}

/// <summary>One tool call of an exemplar.</summary>
public sealed record ExemplarAction(string Tool, IReadOnlyDictionary<string, JsonElement> Arguments);
