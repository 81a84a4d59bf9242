using Keel.Grading.Judges;
using Keel.Store;
using Keel.Suites;

namespace Keel.Evaluation;

/// <summary>What a user asks <c>keel regrade</c> for.</summary>
/// <param name="RunId">The stored run to grade again.</param>
/// <param name="Judge">A judge spec that replaces the run's judge (or adds one); null keeps the run's own judge.</param>
/// <param name="NoJudge">Drop the run's judge: grade with the detectors only.</param>
/// <param name="JudgeSamples">With <paramref name="Judge"/>: draws per rubric.</param>
/// <param name="JudgeVote">With <paramref name="Judge"/>: how the draws are folded.</param>
/// <param name="Dimensions">With <paramref name="Judge"/>: extra dimension ids.</param>
/// <param name="ModelsFile">Models file naming the judge's endpoint; null reads ./keel.models.yaml when present.</param>
/// <param name="AllowChangedSuite">Grade against the current suite even when its content changed since the run.</param>
public sealed record RegradeRequest(
    string RunId,
    string? Judge = null,
    bool NoJudge = false,
    int JudgeSamples = 1,
    JudgeVote JudgeVote = JudgeVote.Majority,
    IReadOnlyList<string>? Dimensions = null,
    string? ModelsFile = null,
    bool AllowChangedSuite = false);

/// <summary>A regrade that cannot be done: no such run, its suite changed, or a stored sample's condition is gone.</summary>
public sealed class RegradeException(string message) : Exception(message);

/// <summary>A regrade ready to run: the stored run, its suite, the config it will be graded under, and its finished samples.</summary>
/// <param name="Run">The run as stored before the regrade.</param>
/// <param name="Suite">The suite the samples are graded against.</param>
/// <param name="Config">The run's config with the judge the regrade grades with (stored with the run once the regrade starts).</param>
/// <param name="Samples">The run's samples stored as done, in (model, condition, epoch) order. Errored samples have no verdicts to redo.</param>
/// <param name="ChangedScenarios">Scenarios of the run whose source changed since it ran (only with <c>--allow-changed-suite</c>).</param>
public sealed record RegradePlan(RunRecord Run, Suite Suite, EvalConfig Config, IReadOnlyList<SampleKey> Samples, IReadOnlyList<string> ChangedScenarios)
{
    /// <summary>The run as it reads after the regrade: its config carries the regrade's judge.</summary>
    public RunRecord Regraded => Run with { Config = Config };
}

/// <summary>Loads a stored run for <c>keel regrade</c> and decides which graders grade it.</summary>
public static class RegradeSetup
{
    /// <summary>
    /// Reads the run, resolves its suite and checks it against the hash the run recorded, picks the judge (the run's own,
    /// <c>--judge</c>'s, or none with <c>--no-judge</c>) and lists the samples to grade. Nothing is written.
    /// Throws <see cref="RegradeException"/>, or input errors from the suite, the models file or the judge spec.
    /// </summary>
    public static async Task<RegradePlan> PrepareAsync(KeelStore store, RegradeRequest request, CancellationToken cancellationToken)
    {
        var run = await store.GetRunAsync(request.RunId, cancellationToken).ConfigureAwait(false)
            ?? throw new RegradeException($"no run '{request.RunId}' in {store.Path}; pass the store it was written to with --db");
        var suite = SuiteResolver.Resolve(run.Config.Suite);
        var changed = suite.ContentHash == run.SuiteHash ? [] : ChangedScenarios(run, suite);
        if (suite.ContentHash != run.SuiteHash && !request.AllowChangedSuite)
        {
            var which = changed.Count > 0 ? $"changed scenarios: {string.Join(", ", changed)}" : "none of the run's scenarios changed, but the suite file did";
            throw new RegradeException(
                $"suite '{run.Config.Suite}' changed since run {run.Id} ran (hash {run.SuiteHash[..12]} → {suite.ContentHash[..12]}; {which}). " +
                "The detectors read each scenario's facts and world, and the judge its family's rubric, from the suite: graded against the " +
                "changed suite, verdicts may no longer describe the conditions the transcripts were produced under. Restore the original suite " +
                "file, or pass --allow-changed-suite to grade against the current one (the pass records the suite hash it used)");
        }

        var judge = request.NoJudge ? null
            : request.Judge is { } spec ? RunSetup.Judge(spec, request.JudgeSamples, request.JudgeVote, request.Dimensions, request.ModelsFile)
            : run.Config.ResolvedJudge;
        var config = run.Config with { Judge = judge?.Endpoint.Spec, JudgeSettings = judge };

        var samples = (await store.DoneSampleKeysAsync(run.Id, cancellationToken).ConfigureAwait(false))
            .OrderBy(k => k.Model, StringComparer.Ordinal).ThenBy(k => k.ConditionId, StringComparer.Ordinal).ThenBy(k => k.Epoch)
            .ToList();
        var conditions = suite.Conditions.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var missing = samples.Where(k => !conditions.Contains(k.ConditionId)).Select(k => k.ConditionId).Distinct().ToList();
        if (missing.Count > 0)
        {
            throw new RegradeException(
                $"suite '{run.Config.Suite}' no longer has condition{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Take(5))}" +
                $"{(missing.Count > 5 ? $" (and {missing.Count - 5} more)" : "")} that stored samples of run {run.Id} ran; " +
                "they cannot be graded without it. Restore the original suite file");
        }

        return new RegradePlan(run, suite, config, samples, changed);
    }

    /// <summary>The run's scenarios whose source hash differs from (or is missing in) the current suite.</summary>
    private static List<string> ChangedScenarios(RunRecord run, Suite suite)
    {
        var current = suite.Scenarios.ToDictionary(s => s.Id, s => s.ContentHash, StringComparer.Ordinal);
        var used = run.Config.Scenarios is { Count: > 0 } selected ? selected : (IEnumerable<string>)run.ScenarioHashes.Keys;
        return used
            .Where(id => !run.ScenarioHashes.TryGetValue(id, out var was) || !current.TryGetValue(id, out var now) || was != now)
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
