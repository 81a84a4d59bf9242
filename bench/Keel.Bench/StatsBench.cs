using System.Diagnostics;
using Keel.Statistics;
using Keel.Suites;

namespace Keel.Bench;

/// <summary>
/// The <c>stats</c> verb: how long the family/overall bootstrap and the two-run comparison take on core's shape
/// (every condition of the suite, --samples decided samples each, rates spread over 0–60%). Prints wall and CPU time and
/// bytes allocated per call, first for one cold call (what a
/// CLI command sees), then over repeated calls (CPU time is the steadier figure on a busy machine).
/// </summary>
internal static class StatsBench
{
    public static int Run(Args args)
    {
        var samples = args.Int("samples", 100);
        var resamples = args.Int("resamples", BootstrapOptions.DefaultResamples);
        var repeat = args.Int("repeat", 5);
        args.RejectUnknown();

        var suite = SuiteResolver.Resolve("core");
        var random = new Random(1);
        List<ConditionCounts> Run() => suite.Conditions
            .Select(c => new ConditionCounts(c.Family, c.Id, samples, random.Next(0, samples * 6 / 10 + 1)))
            .ToList();
        var first = Run();
        var second = Run();
        var options = new BootstrapOptions(resamples, Seed: 1);

        Measure($"Aggregates.Of: {first.Count} conditions × {samples} samples, B = {resamples}", repeat, () => Aggregates.Of(first, options));
        Measure($"AggregateComparison.Of: two such runs, B = {resamples}", repeat, () => AggregateComparison.Of(first, second, options));
        Measure($"Comparisons.Cells: {first.Count} cells (Newcombe, Fisher, Holm)", repeat, () => Comparisons.Cells(first, second));
        return 0;
    }

    private static void Measure(string name, int repeat, Func<object> action)
    {
        var firstCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var first = Stopwatch.StartNew();
        action();
        var firstWall = first.Elapsed.TotalMilliseconds;
        var firstCpuMs = (Process.GetCurrentProcess().TotalProcessorTime - firstCpu).TotalMilliseconds;
        var times = new List<double>();
        var cpu = new List<double>();
        long bytes = 0;
        for (var i = 0; i < repeat; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            action();
            times.Add(watch.Elapsed.TotalMilliseconds);
            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
            bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        times.Sort();
        cpu.Sort();
        Console.WriteLine($"{name}: wall median {times[times.Count / 2]:0.0} ms (min {times[0]:0.0}), CPU median {cpu[cpu.Count / 2]:0.0} ms over {repeat} calls after a first (cold) call of {firstWall:0.0} ms wall, {firstCpuMs:0.0} ms CPU; {bytes / 1024.0:0} KiB allocated per call");
    }
}
