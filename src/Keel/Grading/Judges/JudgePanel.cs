using Keel.Models;
using Keel.Suites;
using Keel.Transcripts;
using Microsoft.Extensions.AI;

namespace Keel.Grading.Judges;

/// <summary>What the judge gave one sample: its verdicts (family, draws, combined, dimensions) and what it used.</summary>
/// <param name="Verdicts">The verdicts to store beside the detector's.</param>
/// <param name="Usage">Calls, cache hits, billed tokens and cost.</param>
public sealed record JudgedSample(IReadOnlyList<Verdict> Verdicts, JudgeUsage Usage);

/// <summary>
/// A run's LLM judge: grades every finished sample against its family's rubric (k draws, voted), combines that with
/// the detector's verdict (<see cref="CombinedPolicy"/>), and grades the extra dimensions. A judge that cannot answer
/// gives undecided verdicts with the reason; the sample itself never fails because of the judge.
/// </summary>
public sealed class JudgePanel
{
    private readonly LlmJudge _judge;
    private readonly Suite _suite;
    private readonly IReadOnlyDictionary<string, JudgeRubric> _families;
    private readonly IReadOnlyList<JudgeRubric> _dimensions;
    private readonly Prices? _prices;

    /// <summary>A panel over a judge, the rubrics of the suite's families, the dimension rubrics and the judge's prices.</summary>
    public JudgePanel(LlmJudge judge, Suite suite, IReadOnlyDictionary<string, JudgeRubric> families, IReadOnlyList<JudgeRubric> dimensions, Prices? prices)
    {
        _judge = judge;
        _suite = suite;
        _families = families;
        _dimensions = dimensions;
        _prices = prices;
    }

    /// <summary>The panel of a run: <paramref name="model"/> judges with <paramref name="settings"/> the families of <paramref name="suite"/>.</summary>
    public static JudgePanel Create(ProviderModel model, JudgeSettings settings, Suite suite)
    {
        var judge = new LlmJudge(model.ClientFor, Options(settings.Endpoint.Defaults), settings.Samples, settings.Vote);
        var families = JudgeRubrics.For(suite, suite.Conditions.Select(c => c.Family))
            .ToDictionary(kv => kv.Key, kv => JudgeRubric.ForFamily(kv.Value), StringComparer.Ordinal);
        var dimensions = settings.DimensionIds.Select(id => JudgeRubric.ForDimension(DimensionCatalogue.Get(id))).ToList();
        return new JudgePanel(judge, suite, families, dimensions, settings.Endpoint.Prices);
    }

    /// <summary>
    /// The judge's chat options: temperature 0, unless the judge's models-file defaults set a temperature (used as
    /// given) or a reasoning effort (then no temperature is sent: reasoning models reject one). The OpenAI-family clients
    /// send it; the Anthropic SDK has no temperature parameter, so Claude judges sample at the model's default. The
    /// temperature is part of the response-cache key either way.
    /// </summary>
    public static ChatOptions Options(ModelDefaults? defaults) => new()
    {
        Temperature = defaults?.Temperature is { } t ? (float)t : defaults?.ReasoningEffort is null ? 0f : null,
    };

    /// <summary>Grades one finished sample of <paramref name="family"/>, whose detector gave <paramref name="detector"/>.</summary>
    public async Task<JudgedSample> GradeAsync(Transcript transcript, string family, Verdict detector, CancellationToken cancellationToken)
    {
        var rendered = TranscriptRenderer.Render(transcript);
        var own = _families.GetValueOrDefault(family);
        IReadOnlyList<JudgeRubric> rubrics = own is null ? _dimensions : [own, .. _dimensions];
        var judged = await Task.WhenAll(rubrics.Select(r => _judge.GradeAsync(r, transcript, rendered, cancellationToken))).ConfigureAwait(false);

        var familyVerdict = own is null
            ? _judge.Undecided(JudgeRubric.FamilyGraderId(family), family, JudgeRubrics.Missing(_suite, family))
            : judged[0].Verdict;
        var verdicts = new List<Verdict> { familyVerdict };
        if (own is not null) verdicts.AddRange(judged[0].DrawVerdicts);
        verdicts.Add(CombinedPolicy.Verdict(detector, familyVerdict));
        foreach (var dimension in own is null ? judged : judged.Skip(1))
        {
            verdicts.Add(dimension.Verdict);
            verdicts.AddRange(dimension.DrawVerdicts);
        }

        return new JudgedSample(verdicts, Usage(judged.SelectMany(j => j.Draws)));
    }

    private JudgeUsage Usage(IEnumerable<JudgeDraw> draws)
    {
        var responded = draws.Where(d => d.Responded).ToList();
        var billed = responded.Where(d => !d.CacheHit).Aggregate(TokenUsage.Zero, (sum, d) => sum + d.Usage);
        return new JudgeUsage(responded.Count, responded.Count(d => d.CacheHit), billed, _prices?.Cost(billed));
    }
}
