using Keel.Statistics;
using static Keel.Reports.ReportText;

namespace Keel.Reports;

/// <summary>Lays reports out as a <see cref="ReportDocument"/>: per model and family first, then per condition.</summary>
public static class ReportLayout
{
    private const string ReferenceNote = "reference/* are known-behaviour agents that check the harness and graders, not models";

    /// <summary>One or more runs, one after the other.</summary>
    public static ReportDocument Of(IReadOnlyList<RunReport> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var title = runs.Count == 1 ? $"Keel report: run {runs[0].Run.Id}" : $"Keel report: {runs.Count} runs";
        var about = runs.SelectMany(r => About(r.Run)).ToList();
        var sections = new List<ReportSection>();
        foreach (var run in runs)
        {
            var suffix = runs.Count == 1 ? "" : $" (run {run.Run.Id})";
            sections.Add(Families(run, suffix));
            sections.Add(Conditions(run, suffix));
            if (run.Dimensions.Count > 0) sections.Add(Dimensions(run, suffix));
        }

        return new ReportDocument(title, about, sections);
    }

    /// <summary>A comparison: the summary, then families, then conditions, then the paired analysis.</summary>
    public static ReportDocument Of(ComparisonReport comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var b = comparison.Baseline;
        var c = comparison.Candidate;
        var about = new List<string> { $"baseline: {b.Model} in run {b.Run.Id}", $"candidate: {c.Model} in run {c.Run.Id}" };
        about.AddRange(About(b.Run));
        if (c.Run.Id != b.Run.Id) about.AddRange(About(c.Run));
        about.Add($"verdicts compared: {comparison.Source.ToString().ToLowerInvariant()}; {comparison.PairingNote}");
        return new ReportDocument($"Keel comparison: {b} → {c}", about,
        [
            Summary(comparison),
            FamilyDifferences(comparison),
            CellDifferences(comparison),
            .. comparison.Paired is { } p ? new[] { Paired(p, comparison.PairingNote) } : [],
        ]);
    }

    private static IEnumerable<string> About(RunOverview run)
    {
        yield return $"run {run.Id}: suite {run.SuiteId} v{run.SuiteVersion} (sha256 {Short(run.SuiteHash)}, {run.ScenarioHashes.Count} scenario hash(es) stored), " +
            $"seed {run.Seed}, Keel {run.KeelVersion}, created {run.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC";
        yield return $"run {run.Id}: models {string.Join(", ", run.Models)}; {run.SamplesPerCondition} sample(s) per condition; " +
            $"{run.StoredSamples - run.Errors} of {run.PlannedSamples} planned sample(s) finished, {run.Errors} error(s)" +
            (run.Complete ? "" : " (incomplete: resume it with keel eval --resume " + run.Id + ")") +
            $"; cost {Cost(run.CostUsd)}" + (run.Judge is { } j ? $"; judge {j}" : "");
        var passes = run.Gradings ?? [];
        for (var i = 0; i < passes.Count; i++) yield return Regraded(run, passes[i], last: i == passes.Count - 1);
        if (run.Models.Any(m => m.StartsWith("reference/", StringComparison.Ordinal))) yield return ReferenceNote;
    }

    /// <summary>One regrade pass: what graded, when, and whether the verdicts are all from it.</summary>
    private static string Regraded(RunOverview run, GradingPass pass, bool last)
    {
        var how = $"regrade pass #{pass.Id} started {pass.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC, Keel {pass.KeelVersion}, " +
            (pass.Judge is { } judge ? $"detectors and judge {judge}" : "detectors only") +
            (pass.SuiteHash == run.SuiteHash ? "" : $", suite sha256 {Short(pass.SuiteHash)} (changed since the eval)");
        return pass.FinishedAt is { } finished
            ? $"run {run.Id}: {how}: regraded {pass.Samples} sample(s), finished {finished.UtcDateTime:yyyy-MM-dd HH:mm} UTC"
            : last
                ? $"run {run.Id}: {how}: did not finish ({pass.Samples} sample(s) regraded), so the verdicts mix passes: run keel regrade {run.Id} again"
                : $"run {run.Id}: {how}: did not finish ({pass.Samples} sample(s) regraded); a later pass regraded every sample";
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;

    private static ReportSection Families(RunReport run, string suffix)
    {
        var judged = run.Judged;
        List<string> columns = judged
            ? ["Model", "Family", "Conditions", "Detector", "95% CI", "Judge", "95% CI", "Combined", "95% CI", "Agreement", "κ", "Errors", "Undecided"]
            : ["Model", "Family", "Conditions", "n", "Harmful", "Rate", "95% CI (bootstrap)", "Pooled rate", "Errors", "Undecided"];
        var rows = new List<IReadOnlyList<string>>();
        foreach (var m in run.Models)
        {
            var cells = run.Cells.Where(c => c.Model == m.Model).ToList();
            for (var i = 0; i <= m.Detector.Families.Count; i++)
            {
                var overall = i == m.Detector.Families.Count;
                var family = overall ? null : m.Detector.Families[i].Family;
                var mine = overall ? cells : cells.Where(c => c.Family == family).ToList();
                var errors = Count(mine.Sum(c => c.Errors));
                var undecided = Count(mine.Sum(c => c.Undecided));
                var name = overall ? "all families (mean)" : family!;
                var conditions = Count(overall ? m.Detector.Families.Sum(f => f.Conditions) : m.Detector.Families[i].Conditions);
                if (judged)
                {
                    rows.Add([i == 0 ? m.Model : "", name, conditions,
                        Percent(Mean(m.Detector, i)), PercentInterval(MeanCi(m.Detector, i)),
                        Percent(Mean(m.Judge, i)), PercentInterval(MeanCi(m.Judge, i)),
                        Percent(Mean(m.Combined, i)), PercentInterval(MeanCi(m.Combined, i)),
                        overall ? Percent(m.Agreement?.Rate) : "", overall ? Decimal2(m.Agreement?.Kappa) : "", errors, undecided]);
                }
                else
                {
                    var (n, harmful, pooled) = overall
                        ? (m.Detector.Overall.N, m.Detector.Overall.Harmful, m.Detector.Overall.Pooled)
                        : (m.Detector.Families[i].N, m.Detector.Families[i].Harmful, m.Detector.Families[i].Pooled);
                    rows.Add([i == 0 ? m.Model : "", name, conditions, Count(n), Count(harmful), Percent(Mean(m.Detector, i)),
                        PercentInterval(MeanCi(m.Detector, i)), Percent(pooled), errors, undecided]);
                }
            }
        }

        var notes = new List<string> { AggregateSummary.FamilyWeighting, AggregateSummary.OverallWeighting };
        if (run.Models.FirstOrDefault() is { } first) notes.Add("intervals of the means: " + first.Detector.IntervalMethod);
        notes.Add("n counts decided samples only; errors and undecided verdicts are shown beside it and never counted as harmless");
        if (judged) notes.Add("combined = harmful only when detector and judge both say harmful; agreement and Cohen's κ over the samples both decided");
        return new ReportSection("Rates per model and family" + suffix, notes,
            new ReportTable(columns, rows, Enumerable.Range(2, columns.Count - 2).ToHashSet()));
    }

    private static double? Mean(AggregateSummary? s, int i) => s is null ? null : i == s.Families.Count ? s.Overall.Mean : s.Families[i].Mean;

    private static Interval? MeanCi(AggregateSummary? s, int i) => s is null ? null : i == s.Families.Count ? s.Overall.MeanCi : s.Families[i].MeanCi;

    private static ReportSection Conditions(RunReport run, string suffix)
    {
        var judged = run.Judged;
        List<string> columns = judged
            ? ["Model", "Condition", "Detector", "95% CI", "Judge", "95% CI", "Combined", "95% CI", "Errors", "Undecided"]
            : ["Model", "Condition", "n", "Harmful", "Rate", "95% CI (Wilson)", "Errors", "Undecided"];
        var rows = new List<IReadOnlyList<string>>();
        string? previous = null;
        foreach (var c in run.Cells)
        {
            var model = c.Model == previous ? "" : c.Model;
            previous = c.Model;
            var wilson = c.N > 0 ? new Interval(c.CiLow, c.CiHigh) : (Interval?)null;
            rows.Add(judged
                ? [model, c.Condition, Fraction(c.Harmful, c.N), PercentInterval(wilson), Fraction(c.Judge), PercentInterval(Ci(c.Judge)),
                    Fraction(c.Combined), PercentInterval(Ci(c.Combined)), Count(c.Errors), Count(c.Undecided)]
                : [model, c.Condition, Count(c.N), Count(c.Harmful), Percent(c.Rate), PercentInterval(wilson), Count(c.Errors), Count(c.Undecided)]);
        }

        return new ReportSection("Rates per condition" + suffix,
            ["one row per model × condition; Wilson 95% intervals; undecided = finished samples whose detector verdict is undecided or missing"],
            new ReportTable(columns, rows, Enumerable.Range(2, columns.Count - 2).ToHashSet()));
    }

    private static string Fraction(int harmful, int n) => n > 0 ? $"{harmful}/{n} {Percent((double)harmful / n)}" : $"0/0 {Missing}";

    private static string Fraction(RateStats? s) => s is null ? Missing : Fraction(s.Harmful, s.N);

    private static Interval? Ci(RateStats? s) => s is { N: > 0 } x ? new Interval(x.CiLow, x.CiHigh) : null;

    private static ReportSection Dimensions(RunReport run, string suffix)
    {
        var rows = run.Dimensions.Select(d => (IReadOnlyList<string>)(d.Observed is { } o
            ? [d.Model, d.Dimension, Fraction(o.Harmful, o.N), PercentInterval(Ci(o)), Count(d.Undecided)]
            : [d.Model, d.Dimension, d.MeanScore is { } s ? $"{Score(s)} / 100 (n {d.Scored})" : Missing, "", Count(d.Undecided)])).ToList();
        return new ReportSection("Extra dimensions (LLM judge)" + suffix,
            ["yes/no dimensions: share of samples where the judge observed it, Wilson 95% interval; ethical reasoning: mean score 0–100"],
            new ReportTable(["Model", "Dimension", "Observed / mean score", "95% CI", "Undecided"], rows, new HashSet<int> { 2, 3, 4 }));
    }

    private static ReportSection Summary(ComparisonReport comparison)
    {
        var rows = comparison.Summary.Select(r => (IReadOnlyList<string>)(r.IsScore
            ? [r.Metric, Score(r.Baseline), Score(r.Candidate), ScoreChange(r.Change), ScoreInterval(r.ChangeCi), P(r.P), P(r.HolmP), Missing]
            : [r.Metric, Percent(r.Baseline), Percent(r.Candidate), Points(r.Change), PointsInterval(r.ChangeCi), P(r.P), P(r.HolmP),
                SignedPercent(r.Effect?.RelativeReduction)])).ToList();
        var notes = comparison.Summary.Select(r => $"{r.Metric}: {r.Method}").ToList();
        notes.Insert(0, "change = candidate − baseline (negative = fewer harmful actions); p-values Holm-adjusted across the lines that have one");
        return new ReportSection("Summary", notes,
            new ReportTable(["Metric", "Baseline", "Candidate", "Change", "95% CI", "p", "p (Holm)", "Relative reduction"], rows,
                Enumerable.Range(1, 7).ToHashSet()));
    }

    private static ReportSection FamilyDifferences(ComparisonReport comparison)
    {
        var f = comparison.Families;
        var rows = f.Families.Select(x => (IReadOnlyList<string>)[x.Family, Count(x.Conditions), Count(x.ExcludedConditions), Percent(x.Mean1), Percent(x.Mean2),
            Points(-x.Difference), PointsInterval(Negate(x.DifferenceCi))]).ToList();
        rows.Add(["all families (mean)", Count(f.Families.Sum(x => x.Conditions)), Count(f.Families.Sum(x => x.ExcludedConditions)), Percent(f.Overall.Mean1), Percent(f.Overall.Mean2),
            Points(-f.Overall.Difference), PointsInterval(Negate(f.Overall.DifferenceCi))]);
        return new ReportSection("Families",
        [
            "means over the conditions both sides decided, each condition weighted equally; overall = mean of the family means",
            $"intervals: {(f.Bootstrap.Confidence * 100):0.##}% percentile bootstrap of the difference, {f.Bootstrap.Resamples} resamples, seed {f.Bootstrap.Seed}; sides resampled independently",
        ], new ReportTable(["Family", "Shared conditions", "Excluded", "Baseline", "Candidate", "Change", "95% CI"], rows, Enumerable.Range(1, 6).ToHashSet()));
    }

    private static Interval? Negate(Interval? ci) => ci is { } c ? new Interval(-c.High, -c.Low) : null;

    private static ReportSection CellDifferences(ComparisonReport comparison)
    {
        var rows = comparison.Cells.Select(c => (IReadOnlyList<string>)[c.Condition,
            c.First is { } a ? Fraction(a.Harmful, a.N) : "not run", c.Second is { } b ? Fraction(b.Harmful, b.N) : "not run",
            Points(c.Comparison is { } x ? -x.Difference : null), PointsInterval(Negate(c.Comparison?.DifferenceCi)), P(c.Comparison?.FisherP), P(c.HolmP)]).ToList();
        return new ReportSection("Per condition",
            ["change = candidate − baseline; interval: Newcombe hybrid score (method 10); p: Fisher's exact test, Holm-adjusted across conditions"],
            new ReportTable(["Condition", "Baseline", "Candidate", "Change", "95% CI", "p", "p (Holm)"], rows, Enumerable.Range(1, 6).ToHashSet()));
    }

    private static ReportSection Paired(PairedComparison p, string note) => new("Paired analysis", [note],
        new ReportTable(["Pairs", "Both harmful", "Baseline only", "Candidate only", "Neither", "Baseline", "Candidate", "Change", "95% CI", "p (McNemar)"],
        [[Count(p.Pairs), Count(p.BothHarmful), Count(p.OnlyFirst), Count(p.OnlySecond), Count(p.NeitherHarmful), Percent(p.Rate1), Percent(p.Rate2),
            Points(-p.Difference), PointsInterval(Negate(p.DifferenceCi)), P(p.McNemarP)]], Enumerable.Range(0, 10).ToHashSet()));
}
