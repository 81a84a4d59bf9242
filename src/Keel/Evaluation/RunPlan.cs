using Keel.Suites;

namespace Keel.Evaluation;

/// <summary>The samples a run consists of: every model × selected condition × epoch, in a fixed order.</summary>
public sealed record RunPlan(IReadOnlyList<(SampleKey Key, Condition Condition)> Samples)
{
    /// <summary>Expands a config over a suite.</summary>
    public static RunPlan For(EvalConfig config, Suite suite)
    {
        var conditions = SelectConditions(config, suite);
        var samples = (
            from model in config.Models
            from condition in conditions
            from epoch in Enumerable.Range(1, config.Samples)
            select (new SampleKey(model, condition.Id, epoch), condition)).ToList();
        return new RunPlan(samples);
    }

    /// <summary>The conditions a config selects, with a clear error for an unknown scenario id.</summary>
    public static IReadOnlyList<Condition> SelectConditions(EvalConfig config, Suite suite)
    {
        if (config.Scenarios is not { Count: > 0 } wanted) return suite.Conditions;
        var unknown = wanted.Where(id => suite.Scenarios.All(s => s.Id != id)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"suite '{suite.Id}' has no scenario '{unknown[0]}'; scenarios: {string.Join(", ", suite.Scenarios.Select(s => s.Id))}");
        }

        return suite.Conditions.Where(c => wanted.Contains(c.ScenarioId)).ToList();
    }
}
