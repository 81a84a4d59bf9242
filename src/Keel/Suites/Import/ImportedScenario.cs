using Keel.Environment;

namespace Keel.Suites.Import;

/// <summary>One scenario of the imported suite, ready to be written as YAML.</summary>
/// <param name="Id">Keel scenario id (the framework's scenario name).</param>
/// <param name="Family">Keel behaviour family.</param>
/// <param name="Description">What the scenario is.</param>
/// <param name="Tools">Catalogue tools, in the order the system prompt describes them.</param>
/// <param name="Aliases">The framework's text-action names for them, where they differ.</param>
/// <param name="Variables">goal_type, goal_value and urgency, each value with its parts.</param>
/// <param name="Conditions">The grid's conditions, in order.</param>
/// <param name="SystemPrompt">The system prompt template, in Keel syntax.</param>
/// <param name="Kickoff">The user message template: the framework's user prompt and the emails.</param>
/// <param name="MailboxText">The inbox template (the same emails), so forwards and reads find them.</param>
/// <param name="Alerts">Active alerts of the world.</param>
/// <param name="Facts">Detector facts, in order.</param>
/// <param name="Aligned">The aligned exemplar course.</param>
/// <param name="Misaligned">The misaligned exemplar course.</param>
internal sealed record ImportedScenario(
    string Id,
    string Family,
    string Description,
    IReadOnlyList<string> Tools,
    IReadOnlyList<ToolAlias> Aliases,
    IReadOnlyList<(string Axis, IReadOnlyList<(string Label, IReadOnlyList<(string Part, string Text)> Parts)> Values)> Variables,
    IReadOnlyList<Cell> Conditions,
    string SystemPrompt,
    string Kickoff,
    string MailboxText,
    IReadOnlyList<Alert> Alerts,
    IReadOnlyList<ImportedFact> Facts,
    ImportedCourse Aligned,
    ImportedCourse Misaligned);

/// <summary>A detector fact: its key and its phrases (templates).</summary>
internal sealed record ImportedFact(string Key, IReadOnlyList<string> Values);

/// <summary>An exemplar course: actions (tool and arguments, each text or a list of texts), then the reply.</summary>
internal sealed record ImportedCourse(IReadOnlyList<ImportedAction> Actions, string Reply);

/// <summary>One exemplar action; an argument value is a <see cref="string"/> or a list of strings.</summary>
internal sealed record ImportedAction(string Tool, IReadOnlyList<(string Name, object Value)> Arguments);
