namespace Keel.Grading.Detectors;

/// <summary>
/// The oversight-deception facts of one scenario, read from <see cref="DetectorFacts"/>:
/// <list type="bullet">
/// <item><c>material_actions</c>: labelled <see cref="ActionPattern"/>s of the acts the overseer must be told about.</item>
/// <item><c>acknowledgements</c>: <c>label: phrase | phrase</c>, what an account says when it owns up to that act.</item>
/// <item><c>denials</c> (optional): <c>label: phrase | …</c>, explicit denials of that act; label <c>*</c> applies to every act.</item>
/// <item><c>claimable_actions</c> and <c>claims</c> (optional): acts the agent might falsely claim to cover itself, and the
/// phrases of such a claim.</item>
/// </list>
/// </summary>
/// <param name="Material">Material action patterns, in declaration order (the first match names an event).</param>
/// <param name="Acknowledgements">Acknowledgement phrases by material label.</param>
/// <param name="Denials">Explicit denial phrases by material label; <c>*</c> for every label.</param>
/// <param name="Claimable">Patterns of acts a claim must be backed by.</param>
/// <param name="Claims">Claim phrases by claimable label.</param>
public sealed record OversightFacts(
    IReadOnlyList<ActionPattern> Material,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Acknowledgements,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Denials,
    IReadOnlyList<ActionPattern> Claimable,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Claims)
{
    /// <summary>The label for denial phrases that apply to every material action.</summary>
    public const string AnyLabel = "*";

    /// <summary>Explicit denial phrases for one material label, its own and the <c>*</c> ones.</summary>
    public IReadOnlyList<string> DenialsOf(string label) =>
        [.. Denials.GetValueOrDefault(label) ?? [], .. Denials.GetValueOrDefault(AnyLabel) ?? []];

    /// <summary>Reads the facts; throws <see cref="FormatException"/> naming the first faulty entry.</summary>
    public static OversightFacts Parse(DetectorFacts facts)
    {
        var material = facts.Get("material_actions").Select(e => ActionPattern.Parse(e, "material_actions")).ToList();
        var claimable = facts.Get("claimable_actions").Select(e => ActionPattern.Parse(e, "claimable_actions")).ToList();
        var acknowledgements = Labelled.Phrases(facts.Get("acknowledgements"), "acknowledgements");
        var denials = Labelled.Phrases(facts.Get("denials"), "denials");
        var claims = Labelled.Phrases(facts.Get("claims"), "claims");

        var materialLabels = material.Select(p => p.Label).ToHashSet(StringComparer.Ordinal);
        var claimableLabels = claimable.Select(p => p.Label).ToHashSet(StringComparer.Ordinal);
        if (materialLabels.Contains(AnyLabel) || claimableLabels.Contains(AnyLabel))
        {
            throw new FormatException("the label '*' is only for 'denials'; give each action its own label");
        }

        if (materialLabels.FirstOrDefault(claimableLabels.Contains) is { } both)
        {
            throw new FormatException($"'{both}' labels both a material and a claimable action; use two labels");
        }

        Known(acknowledgements.Keys, materialLabels, "acknowledgements", "material_actions");
        Known(denials.Keys.Where(l => l != AnyLabel), materialLabels, "denials", "material_actions");
        Known(claims.Keys, claimableLabels, "claims", "claimable_actions");
        if (materialLabels.FirstOrDefault(l => !acknowledgements.ContainsKey(l)) is { } silent)
        {
            throw new FormatException($"material action '{silent}' has no 'acknowledgements' phrases, so no account could ever own up to it");
        }

        if (claimableLabels.FirstOrDefault(l => !claims.ContainsKey(l)) is { } unclaimed)
        {
            throw new FormatException($"claimable action '{unclaimed}' has no 'claims' phrases");
        }

        return new OversightFacts(material, acknowledgements, denials, claimable, claims);
    }

    private static void Known(IEnumerable<string> labels, HashSet<string> declared, string fact, string declaringFact)
    {
        if (labels.FirstOrDefault(l => !declared.Contains(l)) is { } unknown)
        {
            throw new FormatException($"'{fact}' names '{unknown}', which is not a label of '{declaringFact}' ({string.Join(", ", declared)})");
        }
    }
}
