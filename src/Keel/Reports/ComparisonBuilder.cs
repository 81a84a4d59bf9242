using Keel.Grading;
using Keel.Grading.Judges;
using Keel.Statistics;
using Keel.Store;

namespace Keel.Reports;

/// <summary>Compares two runs, models or checkpoints (<see cref="ComparisonReport"/>).</summary>
public static class ComparisonBuilder
{
    /// <summary>The extra dimension reported as a score line.</summary>
    public const string EthicalReasoning = "ethical-reasoning";

    /// <summary>The summary's headline families, in order, with the names the summary gives their rates.</summary>
    public static IReadOnlyList<(string Family, string Metric)> Headline { get; } =
    [
        ("blackmail", "blackmail rate"),
        ("oversight-deception", "deception rate"),
        ("resource-acquisition", "unauthorized resource acquisition rate"),
        ("pressure-sycophancy", "sycophancy rate"),
    ];

    /// <summary>
    /// Compares <paramref name="baselineModel"/> of <paramref name="baseline"/> with <paramref name="candidateModel"/> of
    /// <paramref name="candidate"/>, reading the per-sample verdicts the summary and the paired analysis need from <paramref name="store"/>.
    /// </summary>
    /// <exception cref="ReportInputException">A model is not in its run, or <paramref name="source"/> asks for judge verdicts a run does not have.</exception>
    public static async Task<ComparisonReport> BuildAsync(KeelStore store, RunReport baseline, string baselineModel, RunReport candidate, string candidateModel,
        VerdictSource source = VerdictSource.Detector, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        Check(baseline, baselineModel, source);
        Check(candidate, candidateModel, source);
        var outcomes = await store.DimensionOutcomesAsync(baseline.Run.Id, cancellationToken).ConfigureAwait(false);
        var candidateOutcomes = candidate.Run.Id == baseline.Run.Id ? outcomes : await store.DimensionOutcomesAsync(candidate.Run.Id, cancellationToken).ConfigureAwait(false);
        var samples = new ComparisonSamples(
            outcomes.Where(o => o.Model == baselineModel).ToList(),
            candidateOutcomes.Where(o => o.Model == candidateModel).ToList(),
            await store.EpochVerdictsAsync(baseline.Run.Id, baselineModel, source, cancellationToken).ConfigureAwait(false),
            await store.EpochVerdictsAsync(candidate.Run.Id, candidateModel, source, cancellationToken).ConfigureAwait(false));
        return Build(baseline, baselineModel, candidate, candidateModel, source, samples);
    }

    /// <summary>Compares two sides given their per-sample verdicts (<see cref="BuildAsync"/> reads them from a store).</summary>
    /// <exception cref="ReportInputException">A model is not in its run, or <paramref name="source"/> asks for judge verdicts a run does not have.</exception>
    public static ComparisonReport Build(RunReport baseline, string baselineModel, RunReport candidate, string candidateModel, VerdictSource source,
        ComparisonSamples samples)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(samples);
        Check(baseline, baselineModel, source);
        Check(candidate, candidateModel, source);
        var first = ConditionCounts.ForModel(baseline.Cells, baselineModel, source);
        var second = ConditionCounts.ForModel(candidate.Cells, candidateModel, source);
        var families = AggregateComparison.Of(first, second, baseline.Bootstrap);
        var cells = Comparisons.Cells(first, second);

        var rows = new List<SummaryRow>();
        foreach (var (family, metric) in Headline) rows.Add(FamilyRow(family, metric, families, cells, required: true)!);
        foreach (var f in FamilyCatalogue.All.Select(f => f.Id).Concat(families.Families.Select(f => f.Family)).Distinct()
                     .Where(f => Headline.All(h => h.Family != f)))
        {
            if (FamilyRow(f, f.Replace('-', ' ') + " rate", families, cells, required: false) is { } row) rows.Add(row);
        }

        rows.AddRange(DimensionRows(baseline, baselineModel, candidate, candidateModel, samples));
        rows.Add(OverallRow(families, cells));
        var holm = Holm.Adjust(rows.Select(r => r.P).ToArray());
        var summary = rows.Select((r, i) => r with { HolmP = holm[i] }).ToList();

        var (paired, note) = Pair(baseline, candidate, samples);
        return new ComparisonReport(new ComparisonSide(baseline.Run, baselineModel), new ComparisonSide(candidate.Run, candidateModel), source,
            summary, families, cells, paired, note);
    }

    private static void Check(RunReport report, string model, VerdictSource source)
    {
        if (report.For(model) is not { } rates)
        {
            throw new ReportInputException($"run {report.Run.Id} has no model '{model}'; its models are: {string.Join(", ", report.Run.Models)}");
        }

        if (rates.Of(source) is null)
        {
            throw new ReportInputException($"run {report.Run.Id} has no {source.ToString().ToLowerInvariant()} verdicts (it was graded without an LLM judge); " +
                $"compare detector verdicts, or grade it with a judge: keel regrade {report.Run.Id} --judge SPEC");
        }
    }

    /// <summary>A family's line; null for a family neither side ran unless <paramref name="required"/> (the headline families).</summary>
    private static SummaryRow? FamilyRow(string family, string metric, AggregateComparison families, IReadOnlyList<CellComparison> cells, bool required)
    {
        var f = families.Families.FirstOrDefault(x => x.Family == family);
        if (f is not { Difference: { } difference, Mean1: { } m1, Mean2: { } m2, DifferenceCi: { } ci })
        {
            return required || f is not null
                ? new SummaryRow(metric, family, f?.Mean1, f?.Mean2, null, null, null, null, null, "not run with decided samples on both sides")
                : null;
        }

        var shared = cells.Where(c => c.Family == family && c.Comparison is not null).ToList();
        var p = Pooled(shared);
        return new SummaryRow(metric, family, m1, m2, -difference, new Interval(-ci.High, -ci.Low), p, null, RelativeEffect.Of(m1, m2),
            $"mean over {f.Conditions} shared condition(s); interval: bootstrap; p: Fisher's exact test on the pooled counts");
    }

    private static SummaryRow OverallRow(AggregateComparison families, IReadOnlyList<CellComparison> cells)
    {
        var o = families.Overall;
        if (o is not { Difference: { } difference, Mean1: { } m1, Mean2: { } m2, DifferenceCi: { } ci })
        {
            return new SummaryRow("misalignment rate (mean over families)", "overall", null, null, null, null, null, null, null, "no family decided on both sides");
        }

        return new SummaryRow("misalignment rate (mean over families)", "overall", m1, m2, -difference, new Interval(-ci.High, -ci.Low),
            Pooled(cells.Where(c => c.Comparison is not null).ToList()), null, RelativeEffect.Of(m1, m2),
            $"mean of {o.Families} family rate(s); interval: bootstrap; p: Fisher's exact test on the pooled counts");
    }

    /// <summary>Fisher's exact p on the counts pooled over compared conditions.</summary>
    private static double? Pooled(IReadOnlyList<CellComparison> shared)
    {
        if (shared.Count == 0) return null;
        int h1 = shared.Sum(c => c.First!.Value.Harmful), n1 = shared.Sum(c => c.First!.Value.N);
        int h2 = shared.Sum(c => c.Second!.Value.Harmful), n2 = shared.Sum(c => c.Second!.Value.N);
        return FisherExact.TwoSided(h1, n1 - h1, h2, n2 - h2);
    }

    private static IReadOnlyList<SummaryRow> DimensionRows(RunReport baseline, string baselineModel, RunReport candidate, string candidateModel,
        ComparisonSamples samples)
    {
        var graded = baseline.Dimensions.Where(d => d.Model == baselineModel).Select(d => d.Dimension)
            .Union(candidate.Dimensions.Where(d => d.Model == candidateModel).Select(d => d.Dimension)).ToHashSet();
        var rows = new List<SummaryRow>();
        foreach (var dimension in DimensionCatalogue.Ids.Where(d => graded.Contains(d) || d == EthicalReasoning))
        {
            var name = dimension == EthicalReasoning ? "ethical reasoning score" : dimension.Replace('-', ' ') + " rate (judge)";
            var key = "dimension/" + dimension;
            if (!graded.Contains(dimension))
            {
                rows.Add(new SummaryRow(name, key, null, null, null, null, null, null, null,
                    "not graded: run with --judge SPEC --dimensions " + dimension));
                continue;
            }

            var a = samples.BaselineDimensions.Where(o => o.Dimension == dimension).ToList();
            var b = samples.CandidateDimensions.Where(o => o.Dimension == dimension).ToList();
            if (dimension == EthicalReasoning)
            {
                var m = MeanComparison.Of(Scores(a), Scores(b));
                rows.Add(new SummaryRow(name, key, m.Mean1, m.Mean2, -m.Difference, Negate(m.DifferenceCi), m.P, null, null,
                    $"mean score 0–100 over {m.N1} and {m.N2} sample(s); interval and p: Welch normal approximation"));
                continue;
            }

            int h1 = a.Count(o => o.Observed == true), n1 = a.Count(o => o.Observed is not null);
            int h2 = b.Count(o => o.Observed == true), n2 = b.Count(o => o.Observed is not null);
            if (n1 == 0 || n2 == 0)
            {
                rows.Add(new SummaryRow(name, key, n1 > 0 ? (double)h1 / n1 : null, n2 > 0 ? (double)h2 / n2 : null, null, null, null, null, null,
                    "not decided on both sides"));
                continue;
            }

            var c = ProportionComparison.Of(h1, n1, h2, n2);
            rows.Add(new SummaryRow(name, key, c.Rate1, c.Rate2, -c.Difference, new Interval(-c.DifferenceCi.High, -c.DifferenceCi.Low), c.FisherP, null,
                c.Effect, $"pooled over {n1} and {n2} sample(s); interval: Newcombe; p: Fisher's exact test"));
        }

        return rows;
    }

    private static Interval? Negate(Interval? ci) => ci is { } c ? new Interval(-c.High, -c.Low) : null;

    private static List<double> Scores(IReadOnlyList<DimensionOutcome> outcomes) => outcomes.Where(o => o.Score is not null).Select(o => o.Score!.Value).ToList();

    private static (PairedComparison?, string) Pair(RunReport baseline, RunReport candidate, ComparisonSamples samples)
    {
        if (baseline.Run.Seed != candidate.Run.Seed)
        {
            return (null, $"unpaired: the runs have different seeds ({baseline.Run.Seed} and {candidate.Run.Seed}), so their samples are independent draws");
        }

        var paired = PairedComparison.Of(samples.BaselineEpochs, samples.CandidateEpochs);
        return paired.Pairs == 0
            ? (null, "unpaired: same seed, but no condition and epoch decided on both sides")
            : (paired, $"paired on {paired.Pairs} (condition, epoch) sample(s) run with the same seed ({baseline.Run.Seed}); exact McNemar test and Newcombe's paired interval");
    }
}

/// <summary>The per-sample verdicts a comparison needs beyond the two run reports: the extra dimensions and the (condition, epoch) verdicts.</summary>
/// <param name="BaselineDimensions">The baseline model's extra-dimension verdicts.</param>
/// <param name="CandidateDimensions">The candidate model's extra-dimension verdicts.</param>
/// <param name="BaselineEpochs">The baseline model's verdicts by condition and epoch (for pairing).</param>
/// <param name="CandidateEpochs">The candidate model's verdicts by condition and epoch.</param>
public sealed record ComparisonSamples(
    IReadOnlyList<DimensionOutcome> BaselineDimensions,
    IReadOnlyList<DimensionOutcome> CandidateDimensions,
    IReadOnlyList<EpochVerdict> BaselineEpochs,
    IReadOnlyList<EpochVerdict> CandidateEpochs);
