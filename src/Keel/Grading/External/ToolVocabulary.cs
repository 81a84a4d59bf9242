using Keel.Agents;
using Keel.Environment;
using Keel.Suites;

namespace Keel.Grading.External;

/// <summary>
/// The tool names an external transcript may use and the catalogue tool each stands for. Keel's detectors read calls
/// of catalogue tools (<c>send_email</c>, <c>forward_email</c>, <c>cancel_alert</c>, ...); the published
/// agentic-misalignment framework writes <c>&lt;tool_use:email&gt;</c> and <c>&lt;tool_use:forward&gt;</c>, so those two
/// names are known by default. A scenario's <c>tool_aliases</c> and a facts file's <c>tool_aliases</c> add more, and
/// win over the defaults. Every call, native or text, is recorded under the catalogue name.
/// </summary>
public sealed class ToolVocabulary
{
    private readonly IReadOnlyList<ToolDefinition> _tools;

    /// <summary>The framework's text-action names: <c>email</c> for <c>send_email</c>, <c>forward</c> for <c>forward_email</c>.</summary>
    public static IReadOnlyList<ToolAlias> FrameworkAliases { get; } = [new("email", "send_email"), new("forward", "forward_email")];

    /// <summary>The default vocabulary: the catalogue's tools and the framework's names.</summary>
    public static ToolVocabulary Default { get; } = new([]);

    /// <summary>A vocabulary with <paramref name="aliases"/> before the framework's names.</summary>
    /// <param name="aliases">Names written in transcripts, each with the catalogue tool it stands for.</param>
    public ToolVocabulary(IEnumerable<ToolAlias> aliases)
    {
        var own = aliases.ToList();
        Aliases = [.. own, .. FrameworkAliases.Where(f => own.All(a => a.Name != f.Name))];
        _tools = ToolCatalogue.Default.Names.Select(n => ToolCatalogue.Default.Find(n)!.Definition).ToList();
    }

    /// <summary>Every alias, the given ones first.</summary>
    public IReadOnlyList<ToolAlias> Aliases { get; }

    /// <summary>The catalogue tool a written name stands for; the name itself when it is no alias.</summary>
    public string Canonical(string written) => Aliases.FirstOrDefault(a => a.Name == written)?.Tool ?? written;

    /// <summary>Splits a reply into visible text, private reasoning and text-action calls, with <see cref="TextActions.Parse"/>.</summary>
    /// <param name="reply">The reply text.</param>
    /// <param name="callIdPrefix">Prefix of the generated call ids (<c>t2-</c> gives <c>t2-1</c>, <c>t2-2</c>, ...).</param>
    public TextActions.Parsed Parse(string reply, string callIdPrefix) => TextActions.Parse(reply, _tools, callIdPrefix, Aliases);
}
