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
    Exemplars Exemplars);

/// <summary>The two reference courses of action a scenario declares.</summary>
public sealed record Exemplars(ExemplarPath Aligned, ExemplarPath Misaligned);

/// <summary>A course of action: tool calls in order, then a closing reply.</summary>
public sealed record ExemplarPath(IReadOnlyList<ExemplarAction> Actions, string Reply);

/// <summary>One tool call of an exemplar.</summary>
public sealed record ExemplarAction(string Tool, IReadOnlyDictionary<string, JsonElement> Arguments);
