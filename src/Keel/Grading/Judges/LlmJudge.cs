using System.Globalization;
using Keel.Transcripts;
using Microsoft.Extensions.AI;

namespace Keel.Grading.Judges;

/// <summary>What one rubric's judging of one transcript gave: the voted verdict, each draw's verdict (k above 1), and the draws.</summary>
/// <param name="Verdict">The voted verdict (grader id <c>judge/...</c>).</param>
/// <param name="DrawVerdicts">One verdict per draw (<c>judge/.../draw-N</c>) when there are several draws; empty for one.</param>
/// <param name="Draws">The draws themselves, for usage accounting.</param>
public sealed record JudgedRubric(Verdict Verdict, IReadOnlyList<Verdict> DrawVerdicts, IReadOnlyList<JudgeDraw> Draws);

/// <summary>
/// Grades a transcript against one rubric with k independent draws of the judge model and folds them into one verdict.
/// Each draw goes through its own client, keyed in the response cache by (judge model, prompt version, rubric hash,
/// transcript hash, draw index): re-grading the same transcript is served from the cache, and every draw index is its
/// own draw.
/// </summary>
/// <param name="clientFor">The judge's client for a cache scope and a draw index (<see cref="Keel.Models.ProviderModel.ClientFor(string, int)"/>).</param>
/// <param name="options">The chat options of every call (temperature; the endpoint's defaults are applied by the client).</param>
/// <param name="samples">Draws per rubric (k).</param>
/// <param name="vote">How the draws are folded.</param>
public sealed class LlmJudge(Func<string, int, IChatClient> clientFor, ChatOptions options, int samples, JudgeVote vote)
{
    /// <summary>The cache scope of one rubric on one transcript: everything the judge's answer depends on, nothing volatile.</summary>
    public static string Scope(JudgeRubric rubric, string transcriptHash) =>
        $"judge|p{JudgePrompt.Version}|{rubric.GraderId}|rubric:{rubric.Hash}|transcript:{transcriptHash}";

    /// <summary>The grader version of a single draw: prompt version and rubric hash prefix, e.g. <c>1.3fa9c2d4e1b0</c>.</summary>
    public static string DrawVersion(JudgeRubric rubric) => $"{JudgePrompt.Version}.{rubric.Hash[..12]}";

    /// <summary>The grader version of the voted verdict: the draw version, k and the vote, e.g. <c>1.3fa9c2d4e1b0.k3-majority</c>.</summary>
    public string Version(JudgeRubric rubric) => $"{DrawVersion(rubric)}.k{samples}-{vote.Name()}";

    /// <summary>Grades <paramref name="transcript"/> (rendered as <paramref name="rendered"/>) against <paramref name="rubric"/>.</summary>
    public async Task<JudgedRubric> GradeAsync(JudgeRubric rubric, Transcript transcript, string rendered, CancellationToken cancellationToken)
    {
        var messages = JudgePrompt.Messages(rubric, rendered);
        var scope = Scope(rubric, TranscriptRenderer.Hash(rendered));
        var draws = await Task.WhenAll(Enumerable.Range(1, samples)
            .Select(i => JudgeDraw.RunAsync(clientFor(scope, i), rubric, messages, options, transcript, i, cancellationToken))).ConfigureAwait(false);

        var drawVerdicts = samples == 1
            ? []
            : draws.Select(d => new Verdict(rubric.Behaviour, d.Decision, d.Evidence, $"draw {d.Index}: {d.Reason}",
                $"{rubric.GraderId}/draw-{d.Index}", DrawVersion(rubric), d.Score, d.Confidence)).ToList();
        return new JudgedRubric(Fold(rubric, draws), drawVerdicts, draws);
    }

    /// <summary>The verdict a rubric gets when it cannot be judged at all (no rubric for the family).</summary>
    public Verdict Undecided(string graderId, string behaviour, string reason) =>
        new(behaviour, null, [], reason, graderId, $"{JudgePrompt.Version}.none.k{samples}-{vote.Name()}");

    private Verdict Fold(JudgeRubric rubric, IReadOnlyList<JudgeDraw> draws)
    {
        if (draws.Count == 1)
        {
            var d = draws[0];
            return new Verdict(rubric.Behaviour, d.Decision, d.Evidence, d.Reason, rubric.GraderId, Version(rubric), d.Score, d.Confidence);
        }

        if (rubric.Question == JudgeQuestion.Score)
        {
            var score = FoldScores(draws.Select(d => d.Score).ToList());
            var scored = draws.Where(d => d.Score is not null).ToList();
            var summary = $"{draws.Count} draws, {vote.Name()} vote: scores {string.Join(", ", draws.Select(d => d.Score?.ToString("0.#", CultureInfo.InvariantCulture) ?? "none"))} → "
                + (score is { } s ? s.ToString("0.#", CultureInfo.InvariantCulture) : "undecided");
            return new Verdict(rubric.Behaviour, null, Merge(scored), Explain(summary, scored.FirstOrDefault() ?? draws.First(d => d.Failed)),
                rubric.GraderId, Version(rubric), score);
        }

        var decision = JudgeVotes.Tally(draws.Select(d => d.Decision).ToList(), vote);
        var siding = decision is null ? draws.Where(d => !d.Failed).ToList() : draws.Where(d => d.Decision == decision).ToList();
        var (yes, no) = rubric.Question == JudgeQuestion.Harmful ? ("harmful", "not harmful") : ("observed", "not observed");
        var tally = $"{draws.Count} draws, {vote.Name()} vote: {draws.Count(d => d.Decision == true)} {yes}, {draws.Count(d => d.Decision == false)} {no}, "
            + $"{draws.Count(d => d.Failed)} undecided → {(decision is null ? "undecided" : decision.Value ? yes : no)}";
        double? confidence = decision is null ? null : siding.Average(d => d.Confidence ?? 0);
        return new Verdict(rubric.Behaviour, decision, Merge(siding), Explain(tally, siding.FirstOrDefault() ?? draws[0]),
            rubric.GraderId, Version(rubric), null, confidence);
    }

    /// <summary>
    /// Majority: the median score when more than half of the draws scored; min: the lowest score when every draw scored.
    /// Otherwise undecided.
    /// </summary>
    private double? FoldScores(IReadOnlyList<double?> scores)
    {
        var scored = scores.Where(s => s is not null).Select(s => s!.Value).Order().ToList();
        return vote switch
        {
            JudgeVote.Min => scored.Count == scores.Count ? scored[0] : null,
            _ when 2 * scored.Count <= scores.Count => null,
            _ => scored.Count % 2 == 1 ? scored[scored.Count / 2] : (scored[scored.Count / 2 - 1] + scored[scored.Count / 2]) / 2,
        };
    }

    private static string Explain(string summary, JudgeDraw example) => $"{summary}; draw {example.Index}: {example.Reason}";

    private static IReadOnlyList<Evidence> Merge(IEnumerable<JudgeDraw> draws) => draws.SelectMany(d => d.Evidence).Distinct().ToList();
}
