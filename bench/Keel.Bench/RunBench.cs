using System.Diagnostics;
using Keel.Agents;
using Keel.Evaluation;
using Keel.Models;
using Keel.Store;
using Keel.Suites;

namespace Keel.Bench;

/// <summary>How one measured run is set up.</summary>
internal sealed record RunSetup(int Samples, int Concurrency, int? RequestsPerMinute, bool ResponseCache, string DbPath, bool Progress, string? Scenario = null,
    string Provider = "openai");

/// <summary>What one measured run did and used.</summary>
internal sealed record RunMeasurement(
    int Planned,
    int Epochs,
    int Conditions,
    int Ran,
    int Errors,
    long ModelCalls,
    TimeSpan Wall,
    TimeSpan Cpu,
    long AllocatedBytes,
    int Gen0,
    int Gen1,
    int Gen2,
    long PeakKernelBytes,
    bool PeakKernelReset,
    long PeakWorkingSetBytes,
    long PeakGcHeapBytes,
    long PeakGcCommittedBytes,
    long DbBytes,
    TimeSpan JitTime,
    long JitMethods,
    TimeSpan GcPause,
    double EphemeralPromotedMb,
    double EphemeralPauseMs,
    int EphemeralSeen,
    double MeanSampleMs,
    double SteadyRate,
    DateTime? MeanStart,
    DateTime? MeanFinish,
    TimeSpan BeforeFirstStart,
    TimeSpan AfterLastFinish,
    int PoolThreads);

/// <summary>
/// One run of the built-in <c>core</c> suite, exactly as <c>keel eval</c> wires it (store, response cache, model factory,
/// <see cref="EvalRunner"/>), against an <c>openai-compatible</c> (or, with <c>--provider anthropic</c>, an <c>anthropic</c>) endpoint at the fake's URL; measured around
/// <see cref="EvalRunner.RunAsync"/> only.
/// </summary>
internal static class RunBench
{
    public const string ModelSpec = "openai-compatible/fake";

    /// <summary>The model spec a run uses: <c>openai-compatible/fake</c>, or <c>anthropic/fake</c> for <c>--provider anthropic</c>.</summary>
    public static string SpecFor(string provider) => provider switch
    {
        "openai" => ModelSpec,
        "anthropic" => "anthropic/fake",
        _ => throw new ArgumentException($"--provider: '{provider}' is not openai or anthropic"),
    };

    /// <summary>A run against the fake at <paramref name="fakeBaseUrl"/> (its root: the OpenAI endpoint is under /v1).</summary>
    public static async Task<RunMeasurement> RunAsync(string fakeBaseUrl, RunSetup setup, CancellationToken cancellationToken)
    {
        var spec = SpecFor(setup.Provider);
        var anthropic = setup.Provider == "anthropic";
        var suite = SuiteResolver.Resolve("core");
        IReadOnlyList<string>? scenarios = setup.Scenario is { } only ? [only] : null;
        var conditions = suite.Conditions.Count(c => scenarios is null || scenarios.Contains(c.ScenarioId));
        if (conditions == 0) throw new ArgumentException($"the core suite has no scenario '{setup.Scenario}'");
        var epochs = Math.Max(1, (setup.Samples + conditions - 1) / conditions);
        var endpoint = new EndpointConfig(spec, BaseUrl: anthropic ? fakeBaseUrl : fakeBaseUrl + "/v1", RequestsPerMinute: setup.RequestsPerMinute);
        var config = new EvalConfig("core", [spec], epochs, Seed: 1, new AgentOptions(), [endpoint], Scenarios: scenarios);
        var run = RunFactory.Create(config, suite);

        await using var store = await KeelStore.OpenAsync(setup.DbPath, cancellationToken);
        await store.CreateRunAsync(run, cancellationToken);
        // The Anthropic SDK needs a key; the fake ignores it.
        using var model = new ModelFactory(name => name == "ANTHROPIC_API_KEY" ? "bench-key-not-secret" : null).Create(endpoint, new ModelRunSettings(setup.Concurrency),
            setup.ResponseCache ? store : null, store);
        var runner = new EvalRunner(store, AgentLoop.Default);

        var progress = setup.Progress ? new Ticker(run.PlannedSamples) : null;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        var (g0, g1, g2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var gcPause = GC.GetTotalPauseDuration();
        var jitTime = System.Runtime.JitInfo.GetCompilationTime();
        var jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount();
        var memory = MemorySampler.Start();
        self.Refresh();
        var cpu = self.TotalProcessorTime;
        var began = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        RunSummary summary;
        int poolThreads;
        await using (memory)
        {
            summary = await runner.RunAsync(run, suite, [model], new RunOptions(setup.Concurrency), progress, cancellationToken);
            clock.Stop();
            self.Refresh();
            poolThreads = ThreadPool.ThreadCount;
        }

        var cpuUsed = self.TotalProcessorTime - cpu;
        var allocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var paused = GC.GetTotalPauseDuration() - gcPause;
        var gcs = (GC.CollectionCount(0) - g0, GC.CollectionCount(1) - g1, GC.CollectionCount(2) - g2);
        var kernelPeak = MemorySampler.KernelPeakBytes;
        var jitted = (System.Runtime.JitInfo.GetCompilationTime() - jitTime, System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethods);
        progress?.Dispose();

        var usage = await store.UsageAsync(run.Id, cancellationToken);
        var calls = usage.Sum(u => u.ModelCalls);
        var times = SampleTimes(setup.DbPath, run.Id);
        return new RunMeasurement(run.PlannedSamples, epochs, conditions, summary.Ran, summary.Errors, calls, clock.Elapsed, cpuUsed,
            allocatedBytes, gcs.Item1, gcs.Item2, gcs.Item3, kernelPeak, memory.PeakWasReset, memory.PeakWorkingSetBytes,
            memory.PeakGcHeapBytes, memory.PeakGcCommittedBytes, new FileInfo(setup.DbPath).Length, jitted.Item1, jitted.Item2, paused,
            memory.EphemeralGcs.Count == 0 ? 0 : memory.EphemeralGcs.Average(g => g.Promoted) / 1048576.0,
            memory.EphemeralGcs.Count == 0 ? 0 : memory.EphemeralGcs.Average(g => g.Pause.TotalMilliseconds), memory.EphemeralGcs.Count, times.MeanMs, times.SteadyRate,
            times.MeanStart, times.MeanFinish, times.FirstStart is { } first ? first - began : TimeSpan.Zero,
            times.LastFinish is { } last ? began + clock.Elapsed - last : TimeSpan.Zero, poolThreads);
    }

    /// <summary>
    /// From the stored samples: the mean time from a sample's start to its finish (agent loop and grading; its store write
    /// comes after), and the steady rate: samples finished per second between the 20th and the 80th percentile of the
    /// finish times, which leaves out the first wave's start and the last, partial round; and the mean start and finish
    /// times (wall clock, UTC), to set beside the fake's mean arrival and reply times.
    /// </summary>
    private static (double MeanMs, double SteadyRate, DateTime? MeanStart, DateTime? MeanFinish, DateTime? FirstStart, DateTime? LastFinish) SampleTimes(string db, string runId)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT started_at, finished_at FROM samples WHERE run_id = $run";
        cmd.Parameters.AddWithValue("$run", runId);
        using var reader = cmd.ExecuteReader();
        double total = 0;
        var finishes = new List<DateTimeOffset>();
        var starts = new List<DateTimeOffset>();
        while (reader.Read())
        {
            var started = DateTimeOffset.Parse(reader.GetString(0), System.Globalization.CultureInfo.InvariantCulture);
            var finished = DateTimeOffset.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture);
            total += (finished - started).TotalMilliseconds;
            finishes.Add(finished);
            starts.Add(started);
        }

        if (finishes.Count == 0) return (0, 0, null, null, null, null);
        finishes.Sort();
        var (from, to) = (finishes.Count / 5, finishes.Count * 4 / 5);
        var seconds = (finishes[to] - finishes[from]).TotalSeconds;
        return (total / finishes.Count, seconds > 0 ? (to - from) / seconds : 0, Mean(starts), Mean(finishes),
            starts.Min().UtcDateTime, finishes[^1].UtcDateTime);
    }

    private static DateTime Mean(List<DateTimeOffset> times)
    {
        var origin = times[0].UtcTicks;
        long sum = 0;
        foreach (var t in times) sum += t.UtcTicks - origin;
        return new DateTime(origin + sum / times.Count, DateTimeKind.Utc);
    }

    /// <summary>Prints completed samples to stderr every two seconds.</summary>
    private sealed class Ticker : IProgress<RunProgress>, IDisposable
    {
        private readonly Timer _timer;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _completed;
        private int _errors;

        public Ticker(int planned) =>
            _timer = new Timer(_ => Console.Error.WriteLine($"  {_clock.Elapsed.TotalSeconds,6:0.0} s  {Volatile.Read(ref _completed)}/{planned} done, {Volatile.Read(ref _errors)} errors"),
                null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));

        public void Report(RunProgress value)
        {
            Volatile.Write(ref _completed, value.Completed);
            Volatile.Write(ref _errors, value.Errors);
        }

        public void Dispose() => _timer.Dispose();
    }
}
