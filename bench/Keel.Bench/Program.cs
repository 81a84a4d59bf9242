using System.Globalization;
using System.Runtime;
using Keel.Bench;
using Keel.Fakes;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(Usage.Text);
    return args.Length == 0 ? 2 : 0;
}

try
{
    var options = new Args(args.Skip(1));
    return args[0] switch
    {
        "serve-fake" => await FakeHost.ServeAsync(options),
        "throughput" => await Verbs.RunAsync(Verbs.Mode.Throughput, options),
        "memory" => await Verbs.RunAsync(Verbs.Mode.Memory, options),
        "ratelimit" => await Verbs.RunAsync(Verbs.Mode.RateLimit, options),
        _ => throw new ArgumentException($"unknown verb '{args[0]}'\n\n{Usage.Text}"),
    };
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

namespace Keel.Bench
{
    internal static class Usage
    {
        public const string Text = """
            Keel.Bench: whole-run benchmarks against the in-repo fake provider (tests/Keel.Fakes).

              throughput [--samples 5000] [--latency 100] [--concurrency 256]
              memory     [--samples 10000] [--latency 100] [--concurrency 256]
              ratelimit  [--limit 6000] [--window 10] [--samples 3000] [--latency 100] [--concurrency 256]
              serve-fake [--latency MS] [--request-limit N --window S] [--port P]   (used by the others)

            Common options:
              --warmup N      samples run first on a separate store and not measured
                              (default: 2 x concurrency; 0 for ratelimit, whose fake window it would use up)
              --in-process    run the fake in this process (default: a child process, so CPU and memory are the harness's)
              --no-cache      run without the response cache (keel eval --no-cache)
              --db PATH       store file (default: a temporary file, deleted afterwards)
              --progress      print progress to stderr every 2 s

            ratelimit: the fake admits --limit requests per minute, enforced as limit x window/60 per sliding --window
            seconds; the endpoint is configured with requests_per_minute = --limit.
            """;
    }

    internal static class Verbs
    {
        public enum Mode
        {
            Throughput,
            Memory,
            RateLimit,
        }

        public static async Task<int> RunAsync(Mode mode, Args args)
        {
            var samples = args.Int("samples", mode switch { Mode.Memory => 10_000, Mode.RateLimit => 3000, _ => 5000 });
            var latencyMs = args.Double("latency", 100);
            var concurrency = args.Int("concurrency", 256);
            var limit = mode == Mode.RateLimit ? args.Int("limit", 6000) : (int?)null;
            var window = mode == Mode.RateLimit ? args.Double("window", 10) : 60;
            var warmup = args.Int("warmup", mode == Mode.RateLimit ? 0 : 2 * concurrency);
            var inProcess = args.Flag("in-process");
            var noCache = args.Flag("no-cache");
            var keepDb = args.OptionalString("db");
            var progress = args.Flag("progress");
            args.RejectUnknown();
            if (samples < 1 || concurrency < 1 || latencyMs < 0 || warmup < 0 || limit is < 1 || window <= 0)
            {
                throw new ArgumentException("--samples, --concurrency and --limit must be positive; --latency, --warmup 0 or more; --window above 0");
            }

            var plan = new FaultPlan
            {
                Latency = TimeSpan.FromMilliseconds(latencyMs),
                RequestLimit = limit is { } l ? Math.Max(1, (int)Math.Round(l * window / 60)) : null,
                RequestLimitWindow = TimeSpan.FromSeconds(window),
            };

            var temp = Path.Combine(Path.GetTempPath(), $"keel-bench-{System.Environment.ProcessId}");
            Directory.CreateDirectory(temp);
            try
            {
                await using var fake = await FakeHost.StartAsync(inProcess, plan);
                Console.WriteLine($"mode:            {mode.ToString().ToLowerInvariant()}");
                Console.WriteLine($"machine:         {System.Environment.ProcessorCount} cores, .NET {System.Environment.Version}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC");
                Console.WriteLine($"fake provider:   {fake.Where}, latency {latencyMs:0.#} ms"
                    + (plan.RequestLimit is { } n ? $", {n} requests per sliding {window:0.#} s window (= {limit}/min)" : ""));
                Console.WriteLine($"harness:         keel eval wiring, suite core, {RunBench.ModelSpec}, concurrency {concurrency}, response cache {(noCache ? "off" : "on")}"
                    + (limit is { } rpm ? $", requests_per_minute {rpm}" : ""));

                if (warmup > 0)
                {
                    var w = await RunBench.RunAsync(fake.OpenAiBaseUrl, new RunSetup(warmup, concurrency, limit, !noCache, Path.Combine(temp, "warmup.db"), false), CancellationToken.None);
                    Console.WriteLine($"warm-up:         {w.Planned} samples in {w.Wall.TotalSeconds:0.00} s (not counted)");
                }

                await fake.ResetAsync();
                var before = await fake.StatsAsync();
                var db = keepDb ?? Path.Combine(temp, "bench.db");
                var m = await RunBench.RunAsync(fake.OpenAiBaseUrl, new RunSetup(samples, concurrency, limit, !noCache, db, progress), CancellationToken.None);
                var after = await fake.StatsAsync();
                Print(mode, m, before, after, concurrency, latencyMs, limit);
                return m.Errors == 0 ? 0 : 1;
            }
            finally
            {
                try
                {
                    Directory.Delete(temp, recursive: true);
                }
                catch (IOException)
                {
                    // best effort
                }
            }
        }

        private static void Print(Mode mode, RunMeasurement m, FakeStats before, FakeStats after, int concurrency, double latencyMs, int? limit)
        {
            var seconds = m.Wall.TotalSeconds;
            var rate = m.Ran / seconds;
            var turns = m.Ran > 0 ? (double)m.ModelCalls / m.Ran : 0;
            var requests = after.Requests - before.Requests;
            var successes = after.Successes - before.Successes;
            var overLimit = after.OverLimit - before.OverLimit;
            Console.WriteLine($"samples:         {m.Ran} run ({m.Epochs} epochs x {m.Conditions} conditions), {m.Errors} failed");
            Console.WriteLine($"model calls:     {m.ModelCalls} ({turns:0.###} turns per sample); HTTP requests at the fake {requests}, of which {successes} answered, {overLimit} over its limit (429)");
            Console.WriteLine($"wall time:       {seconds:0.000} s");
            Console.WriteLine($"achieved:        {rate:0.0} samples/s, {m.ModelCalls / seconds:0.0} model calls/s");
            if (mode != Mode.RateLimit && latencyMs > 0 && turns > 0)
            {
                var ideal = concurrency / (turns * latencyMs / 1000);
                Console.WriteLine($"ideal:           {ideal:0.0} samples/s  (concurrency / (turns x latency) = {concurrency} / ({turns:0.###} x {latencyMs / 1000:0.###} s))");
                Console.WriteLine($"ratio:           {rate / ideal:0.000}");
            }

            if (limit is { } rpm)
            {
                var perSecond = rpm / 60.0;
                Console.WriteLine($"rate limit:      {rpm}/min = {perSecond:0.##}/s; achieved {successes / seconds:0.00} answered requests/s = {successes / seconds / perSecond:0.000} of the limit; failed samples {m.Errors}");
            }

            var cpuMs = m.Cpu.TotalMilliseconds;
            Console.WriteLine($"harness CPU:     {cpuMs:0} ms = {cpuMs / Math.Max(1, m.ModelCalls):0.000} ms per model call, {cpuMs / seconds / 10 / System.Environment.ProcessorCount:0.0}% of {System.Environment.ProcessorCount} cores"
                + (after.CpuMs is null ? " (includes the in-process fake)" : ""));
            if (after.CpuMs is { } fakeAfter && before.CpuMs is { } fakeBefore)
            {
                Console.WriteLine($"fake CPU:        {fakeAfter - fakeBefore:0} ms = {(fakeAfter - fakeBefore) / Math.Max(1, requests):0.000} ms per request (child process, not in the harness figure)");
            }

            Console.WriteLine($"allocated:       {m.AllocatedBytes / 1048576.0:0.0} MB = {m.AllocatedBytes / 1024.0 / Math.Max(1, m.Ran):0.0} KB per sample; GCs gen0 {m.Gen0}, gen1 {m.Gen1}, gen2 {m.Gen2}");
            Console.WriteLine($"peak memory:     {Mb(m.PeakKernelBytes)} MB resident (kernel VmHWM{(m.PeakKernelReset ? ", over the run" : ", whole process lifetime")}); "
                + $"sampled: working set {Mb(m.PeakWorkingSetBytes)} MB, GC heap {Mb(m.PeakGcHeapBytes)} MB, GC committed {Mb(m.PeakGcCommittedBytes)} MB");
            Console.WriteLine($"store:           {Mb(m.DbBytes)} MB database file");
        }

        private static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);
    }
}
