using Keel.Environment;
using Keel.Grading.Judges;
using Keel.Statistics;
using Keel.Transcripts;

namespace Keel.Grading.External;

/// <summary>One external item graded: the family's detector verdict and, with a judge, the judge's and the combined one.</summary>
/// <param name="Item">The item.</param>
/// <param name="Family">The family it was graded for.</param>
/// <param name="Detector">The detector's verdict (<c>detector/FAMILY</c>).</param>
/// <param name="Judge">The judge's voted verdict (<c>judge/FAMILY</c>); null without a judge.</param>
/// <param name="Combined">Detector and judge combined (<see cref="CombinedPolicy"/>); null without a judge.</param>
/// <param name="JudgeDraws">Each judge draw's verdict when there were several; empty otherwise.</param>
public sealed record ExternalVerdict(ExternalItem Item, string Family, Verdict Detector, Verdict? Judge, Verdict? Combined, IReadOnlyList<Verdict> JudgeDraws);

/// <summary>What grading a file's items gave: a verdict per gradable item, the items that could not be graded, and the judge's usage.</summary>
/// <param name="Verdicts">In item order.</param>
/// <param name="Problems">Items without a family, with facts their family does not use, and the like.</param>
/// <param name="JudgeUsage">Calls, cache hits, tokens and cost of the judge; null without a judge.</param>
public sealed record ExternalGrading(IReadOnlyList<ExternalVerdict> Verdicts, IReadOnlyList<ItemProblem> Problems, JudgeUsage? JudgeUsage);

/// <summary>A family's rates over the graded items: the detector's, and with a judge the judge's, the combined one and their agreement.</summary>
/// <param name="Family">The family id, or <c>all</c> for every item.</param>
/// <param name="Detector">The detector's harmful rate (undecided left out of n).</param>
/// <param name="Judge">The judge's; null without a judge.</param>
/// <param name="Combined">The combined verdict's; null without a judge.</param>
/// <param name="Agreement">Detector–judge agreement and Cohen's kappa; null without a judge.</param>
public sealed record ExternalSummary(string Family, RateStats Detector, RateStats? Judge, RateStats? Combined, Agreement? Agreement);

/// <summary>
/// Grades external transcripts (<c>keel grade</c>): each item with its family's detector, on the facts of the basis with
/// the item's own facts over them, on the basis's world (completed from the facts, and checked for gaps with
/// <see cref="WorldGaps"/> when it is not a whole condition's), and with the LLM judge beside it when one is given.
/// </summary>
public static class ExternalGrader
{
    /// <summary>Grades <paramref name="items"/> against <paramref name="basis"/>.</summary>
    /// <param name="items">The items read from the file.</param>
    /// <param name="basis">Default family, facts, world and rubrics.</param>
    /// <param name="judge">The judge panel, or null for detectors only.</param>
    /// <param name="concurrency">Items graded at once (judge calls in flight).</param>
    /// <param name="progress">Told the number of items graded so far.</param>
    /// <param name="cancellationToken">Cancels grading.</param>
    public static async Task<ExternalGrading> GradeAsync(IReadOnlyList<ExternalItem> items, GradingBasis basis, JudgePanel? judge = null,
        int concurrency = 1, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var results = new (ExternalVerdict? Verdict, ItemProblem? Problem, JudgeUsage? Usage)[items.Count];
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                results[i] = await GradeOneAsync(items[i], basis, judge, ct).ConfigureAwait(false);
                progress?.Report(Interlocked.Increment(ref done));
            }).ConfigureAwait(false);

        var usages = results.Where(r => r.Usage is not null).Select(r => r.Usage!).ToList();
        return new ExternalGrading(
            results.Where(r => r.Verdict is not null).Select(r => r.Verdict!).ToList(),
            results.Where(r => r.Problem is not null).Select(r => r.Problem!).ToList(),
            judge is null ? null : Sum(usages));
    }

    /// <summary>Per family (in catalogue order), then <c>all</c> when there is more than one family.</summary>
    public static IReadOnlyList<ExternalSummary> Summarize(IReadOnlyList<ExternalVerdict> verdicts, bool judged)
    {
        var order = FamilyCatalogue.All.Select(f => f.Id).ToList();
        var families = verdicts.GroupBy(v => v.Family).OrderBy(g => order.IndexOf(g.Key)).Select(g => Summary(g.Key, g.ToList(), judged)).ToList();
        if (families.Count > 1) families.Add(Summary("all", verdicts, judged));
        return families;
    }

    private static ExternalSummary Summary(string family, IReadOnlyList<ExternalVerdict> verdicts, bool judged) => new(
        family,
        RateStats.Of(verdicts.Select(v => v.Detector.Harmful)),
        judged ? RateStats.Of(verdicts.Select(v => v.Judge?.Harmful)) : null,
        judged ? RateStats.Of(verdicts.Select(v => v.Combined?.Harmful)) : null,
        judged ? Agreement.Of(verdicts.Select(v => (v.Detector.Harmful, v.Judge?.Harmful))) : null);

    private static async Task<(ExternalVerdict?, ItemProblem?, JudgeUsage?)> GradeOneAsync(ExternalItem item, GradingBasis basis, JudgePanel? judge, CancellationToken ct)
    {
        var familyId = item.Family ?? basis.Family;
        if (familyId is null)
        {
            return (null, new ItemProblem(item.Line, "no family to grade: give --family, a scenario (--scenario), a facts file with 'family:', or a \"family\" on the line"), null);
        }

        if (FamilyCatalogue.Find(familyId) is not { } family)
        {
            return (null, new ItemProblem(item.Line, $"unknown family '{familyId}'; families: {string.Join(", ", FamilyCatalogue.All.Select(f => f.Id))}"), null);
        }

        var facts = basis.Facts;
        if (item.Facts is { } own)
        {
            try
            {
                facts = FactKeys.Merge(facts, FactKeys.Normalize(own, family));
            }
            catch (ArgumentException ex)
            {
                return (null, new ItemProblem(item.Line, $"facts: {ex.Message}"), null);
            }
        }

        if (family.CheckFacts?.Invoke(facts) is { } problem)
        {
            return (null, new ItemProblem(item.Line, $"facts (family '{family.Id}'): {problem.Message}"), null);
        }

        var world = basis.WorldFor(facts);
        var context = new GradingContext(item.Transcript, facts, world);
        Verdict detector;
        try
        {
            detector = await family.CreateDetector().GradeAsync(context, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ToolArgumentException or FormatException or InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            return (null, new ItemProblem(item.Line, $"the {family.Id} detector cannot read this transcript: {ex.Message}"), null);
        }

        if (!basis.WorldIsComplete)
        {
            var name = ReferenceEquals(basis.World, WorldSpec.Empty) ? "a world with only what the facts give" : "the world the scenario's conditions share";
            detector = WorldGaps.Check(detector, family.Id, item.Transcript, world, name);
        }

        if (judge is null) return (new ExternalVerdict(item, family.Id, detector, null, null, []), null, null);
        var judged = await judge.GradeAsync(item.Transcript, family.Id, detector, ct).ConfigureAwait(false);
        var familyVerdict = judged.Verdicts.First(v => v.GraderId == JudgeRubric.FamilyGraderId(family.Id));
        var combined = judged.Verdicts.First(v => v.GraderId == CombinedPolicy.GraderId(family.Id));
        var draws = judged.Verdicts.Where(v => v.GraderId.StartsWith(JudgeRubric.FamilyGraderId(family.Id) + "/draw-", StringComparison.Ordinal)).ToList();
        return (new ExternalVerdict(item, family.Id, detector, familyVerdict, combined, draws), null, judged.Usage);
    }

    private static JudgeUsage Sum(IReadOnlyList<JudgeUsage> usages) => new(
        usages.Sum(u => u.Calls),
        usages.Sum(u => u.CacheHits),
        usages.Aggregate(TokenUsage.Zero, (sum, u) => sum + u.Tokens),
        usages.Any(u => u.CostUsd is null && u.Calls > u.CacheHits) ? null : usages.Sum(u => u.CostUsd ?? 0));
}
