using System.Diagnostics;
using Keel.Agents;
using Keel.Evaluation;
using Keel.Grading;
using Keel.Grading.Judges;
using Keel.Models;
using Keel.Store;
using Keel.Suites;
using Keel.Transcripts;

namespace Keel.Bench;

/// <summary>
/// The viewer benchmark's store: one run of the <c>core</c> suite with several models, many epochs, real transcripts and
/// detector verdicts (from one in-process run of each reference agent over every condition, copied to every epoch and
/// model under its own key), and judge and combined verdicts on about half the samples. A fixture: the copies are fakes.
/// </summary>
internal static class ViewerFixture
{
    /// <summary>The run's models; each copies the transcripts of one reference agent.</summary>
    public static readonly string[] Models = ["openai/gpt-bench-a", "anthropic/claude-bench-b", "openai/gpt-bench-c", "anthropic/claude-bench-d"];

    private static readonly string[] Templates = ["reference/mixed", "reference/misaligned", "reference/aligned", "reference/mixed"];

    /// <summary>Writes a store of at least <paramref name="samples"/> samples at <paramref name="db"/>; returns the run id and how many samples it holds.</summary>
    public static async Task<(string RunId, int Samples)> GenerateAsync(string db, int samples, CancellationToken cancellationToken)
    {
        var suite = SuiteResolver.Resolve("core");
        var conditions = suite.Conditions;
        var clock = Stopwatch.StartNew();
        var templates = await TemplatesAsync(suite, Path.GetDirectoryName(Path.GetFullPath(db))!, cancellationToken);
        Console.WriteLine($"templates:       {templates.Count} samples from {string.Join(", ", Templates.Distinct())} over {conditions.Count} conditions in {clock.Elapsed.TotalSeconds:0.0} s");

        var epochs = Math.Max(1, (samples + Models.Length * conditions.Count - 1) / (Models.Length * conditions.Count));
        var judge = new JudgeSettings(new EndpointConfig("openai/gpt-bench-judge"));
        var config = new EvalConfig("core", Models, epochs, Seed: 1, new AgentOptions(), Judge: "openai/gpt-bench-judge", JudgeSettings: judge);
        var run = RunFactory.Create(config, suite);

        clock.Restart();
        await using var store = await KeelStore.OpenAsync(db, cancellationToken);
        await store.CreateRunAsync(run, cancellationToken);
        var started = DateTimeOffset.UtcNow.AddHours(-2);
        var pending = new Queue<Task>();
        var written = 0;
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            for (var m = 0; m < Models.Length; m++)
            {
                foreach (var condition in conditions)
                {
                    var template = templates[(Templates[m], condition.Id)];
                    var key = new SampleKey(Models[m], condition.Id, epoch);
                    var at = started.AddMilliseconds(written * 50.0);
                    var result = template with
                    {
                        Key = key,
                        Verdicts = WithJudge(template.Verdicts, template.Family, written),
                        StartedAt = at,
                        FinishedAt = at.AddMilliseconds(800 + written % 700),
                        CostUsd = 0.0001m * (1 + written % 40),
                        JudgeUsage = written % 2 == 0 ? new JudgeUsage(1, 0, new TokenUsage(2000, 150), 0.002m) : null,
                    };
                    pending.Enqueue(store.SaveSampleAsync(run.Id, result, cancellationToken));
                    written++;
                    if (pending.Count >= 512) await pending.Dequeue();
                }
            }
        }

        while (pending.Count > 0) await pending.Dequeue();
        Console.WriteLine($"generated:       {written} samples ({epochs} epochs x {Models.Length} models x {conditions.Count} conditions) through KeelStore.SaveSampleAsync in {clock.Elapsed.TotalSeconds:0.0} s");
        return (run.Id, written);
    }

    /// <summary>
    /// Half the samples also get a judge verdict (agreeing with the detector nine times in ten) and the combined one.
    /// </summary>
    private static IReadOnlyList<Verdict> WithJudge(IReadOnlyList<Verdict> verdicts, string family, int n)
    {
        if (n % 2 != 0) return verdicts;
        var detector = verdicts.FirstOrDefault(v => v.Behaviour == family && v.GraderId.StartsWith("detector/", StringComparison.Ordinal));
        if (detector is null) return verdicts;
        var harmful = n % 20 == 0 ? detector.Harmful is not true : detector.Harmful;
        var judge = new Verdict(family, harmful, detector.Evidence,
            harmful == true ? "The agent took the harmful action the scenario offers; its own words show it weighed the alternative." : "The agent declined the harmful action and said why.",
            $"judge/{family}", "1", Confidence: 0.6 + n % 40 / 100.0);
        return [.. verdicts, judge, CombinedPolicy.Verdict(detector, judge)];
    }

    /// <summary>One sample per reference agent and condition, run and graded in-process as <c>keel eval</c> does.</summary>
    private static async Task<Dictionary<(string Model, string Condition), SampleResult>> TemplatesAsync(Suite suite, string dir, CancellationToken cancellationToken)
    {
        var models = Templates.Distinct().ToList();
        var config = new EvalConfig("core", models, 1, Seed: 7, new AgentOptions());
        var run = RunFactory.Create(config, suite);
        var path = Path.Combine(dir, $"keel-viewer-templates-{System.Environment.ProcessId}.db");
        try
        {
            await using var store = await KeelStore.OpenAsync(path, cancellationToken);
            await store.CreateRunAsync(run, cancellationToken);
            var factory = new ModelFactory(_ => null);
            var agents = models.Select(m => factory.Create(new EndpointConfig(m), new ModelRunSettings(8))).ToList();
            try
            {
                await new EvalRunner(store, AgentLoop.Default).RunAsync(run, suite, agents, new RunOptions(8), null, cancellationToken);
            }
            finally
            {
                foreach (var agent in agents) agent.Dispose();
            }

            var found = new Dictionary<(string, string), SampleResult>();
            foreach (var model in models)
            {
                foreach (var condition in suite.Conditions)
                {
                    var key = new SampleKey(model, condition.Id, 1);
                    var stored = await store.SampleAsync(run.Id, key, cancellationToken)
                        ?? throw new InvalidOperationException($"the template run stored no sample {model} {condition.Id}");
                    var row = stored.Row;
                    found[(model, condition.Id)] = new SampleResult(key, row.ScenarioId, row.Family, row.Split,
                        row.Errored ? SampleStatus.Error : SampleStatus.Done, stored.Error, stored.Transcript ?? throw new InvalidOperationException($"the template sample {model} {condition.Id} has no transcript"), stored.Verdicts,
                        DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
                }
            }

            return found;
        }
        finally
        {
            foreach (var f in Directory.GetFiles(dir, Path.GetFileName(path) + "*")) File.Delete(f);
        }
    }
}
