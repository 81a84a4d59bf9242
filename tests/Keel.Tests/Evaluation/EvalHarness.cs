using Keel.Agents;
using Keel.Evaluation;
using Keel.Models;
using Keel.Statistics;
using Keel.Store;
using Keel.Suites;

namespace Keel.Tests.Evaluation;

/// <summary>Runs an evaluation in-process against a temporary store.</summary>
public static class EvalHarness
{
    public static async Task<(RunRecord Run, IReadOnlyList<CellSummary> Cells)> RunAsync(
        Suite suite, string model, int samples, long seed, AgentOptions? agent = null, string? dbPath = null)
    {
        using var temp = new TempDir();
        await using var store = await KeelStore.OpenAsync(dbPath ?? temp.File("keel.db"));
        var config = new EvalConfig("core", [model], samples, seed, agent ?? new AgentOptions());
        var run = RunFactory.Create(config, suite);
        await store.CreateRunAsync(run);
        using var agentModel = new ModelFactory(_ => null).Create(new EndpointConfig(model), ModelRunSettings.Default);
        await new EvalRunner(store, AgentLoop.Default).RunAsync(run, suite, [agentModel], new RunOptions(4), null, CancellationToken.None);
        return (run, CellStatistics.Summarize(await store.OutcomesAsync(run.Id)));
    }
}
