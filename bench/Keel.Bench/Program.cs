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
        "micro" => await Micro.RunAsync(options),
        "floor" => await FloorBench.RunAsync(options),
        "stats" => StatsBench.Run(options),
        "viewer" => await ViewerBench.RunAsync(options),
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
              micro      [--ops 3000] [--only NAME]   CPU and allocation per piece of a sample, one at a time
              floor      [--samples 5000] [--latency 100] [--concurrency 256] [--repeat 3] [--layers http,chat,model,cached,nocache,keel]
                         the same single calls through each layer of keel's stack in turn (a bare HttpClient, the SDK's
                         IChatClient, keel's model with its resilience, + response cache, keel eval --no-cache, keel eval),
                         alternately against one child fake: what each layer reaches on this machine
              stats      [--samples 100] [--resamples 2000] [--repeat 5]   bootstrap aggregates and comparisons on core's shape
              viewer     [--samples 100000] [--db PATH] [--repeat 10] [--transcripts 10] [--search WORD] [--no-warm]
                         times the viewer's pages over HTTP on a generated store (or an existing one: --db PATH;
                         a --db that does not exist yet is generated there and kept, so later runs skip generation)
              serve-fake [--latency MS] [--request-limit N --window S] [--port P]   (used by the others; for a manual run
                         against `keel eval`, also faults drawn per request: [--rate-limited P] [--retry-after S]
                         [--server-errors P] [--overloaded P] [--hangs P] [--malformed P] [--truncated P] [--fault-seed N];
                         stdin lines: stats, stats counters, reset, faults off)

            Common options:
              --warmup N      samples per warm-up round (default 2000; 0: no warm-up). Warm-up rounds run first, each on
                              its own store against the fake (a second one without the request limit for ratelimit), until a round JIT-compiles
                              fewer than 50 methods (tiered compilation has settled) or --warmup-rounds (default 20)
              --in-process    run the fake in this process (default: a child process, so CPU and memory are the harness's)
              --no-cache      run without the response cache (keel eval --no-cache)
              --provider P    openai (default: openai-compatible/fake over the OpenAI SDK) or anthropic (anthropic/fake over
                              the Anthropic SDK, with its prompt-caching layer), for throughput, memory and ratelimit
              --db PATH       store file (default: a temporary file, deleted afterwards)
              --progress      print progress to stderr every 2 s
              --repeat R      measure R runs one after another in this process (each on a new store)
              --jit-report    list the methods JIT-compiled during the measured run (most compiler time first)
              --gc-report     split each ephemeral GC's pause of the measured run into suspension, collection and restart
              --http-timing   time each HTTP request (the client's activities) and sample the thread pool's queue; costs CPU
              --gc-latency M  set GCSettings.LatencyMode (Batch, Interactive, SustainedLowLatency) before running

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
            var warmup = args.Int("warmup", 2000);
            var warmupRounds = args.Int("warmup-rounds", 20);
            var inProcess = args.Flag("in-process");
            var noCache = args.Flag("no-cache");
            var keepDb = args.OptionalString("db");
            var progress = args.Flag("progress");
            var repeat = args.Int("repeat", 1);
            var scenario = args.OptionalString("scenario");
            var provider = args.String("provider", "openai");
            _ = RunBench.SpecFor(provider); // rejects an unknown provider before anything starts
            var jitReport = args.Flag("jit-report");
            var gcReport = args.Flag("gc-report");
            var httpTiming = args.Flag("http-timing");
            var gcLatency = args.OptionalString("gc-latency");
            args.RejectUnknown();
            if (gcLatency is not null)
            {
                GCSettings.LatencyMode = Enum.TryParse<GCLatencyMode>(gcLatency, ignoreCase: true, out var latency)
                    ? latency
                    : throw new ArgumentException($"--gc-latency: '{gcLatency}' is not one of {string.Join(", ", Enum.GetNames<GCLatencyMode>())}");
            }

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
                Console.WriteLine($"machine:         {System.Environment.ProcessorCount} cores, .NET {System.Environment.Version}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, latency mode {GCSettings.LatencyMode} (Batch: no background GC)");
                Console.WriteLine($"fake provider:   {fake.Where}, latency {latencyMs:0.#} ms"
                    + (plan.RequestLimit is { } n ? $", {n} requests per sliding {window:0.#} s window (= {limit}/min)" : ""));
                Console.WriteLine($"harness:         keel eval wiring, suite core{(scenario is null ? "" : $" (scenario {scenario})")}, {RunBench.SpecFor(provider)}, concurrency {concurrency}, response cache {(noCache ? "off" : "on")}"
                    + (limit is { } rpm ? $", requests_per_minute {rpm}" : ""));

                if (warmup > 0 && warmupRounds > 0) await WarmUpAsync(fake, inProcess, plan, warmup, warmupRounds, concurrency, !noCache, temp, scenario, provider);

                var failed = 0;
                for (var i = 1; i <= repeat; i++)
                {
                    if (repeat > 1) Console.WriteLine($"--- run {i} of {repeat}");
                    await fake.ResetAsync();
                    var before = await fake.StatsAsync();
                    var db = keepDb ?? Path.Combine(temp, $"bench-{i}.db");
                    if (File.Exists(db)) throw new ArgumentException($"{db} exists: the bench needs a new store (its response cache would answer the calls)");
                    var (settleMethods, settleWait, settled) = await JitSettle.WaitAsync(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
                    Console.WriteLine($"JIT settle:      {settleMethods} methods compiled in the {settleWait.TotalSeconds:0.0} s before the run"
                        + (settled ? "" : " (still compiling at the 10 s limit)"));
                    using var jit = jitReport ? new JitListener() : null;
                    using var gcs = gcReport ? new GcPhaseListener() : null;
                    jit?.Start();
                    gcs?.Start();
                    using var http = httpTiming ? new HttpTimingListener() : null;
                    var schedHarness = httpTiming ? SchedStat.Of(System.Environment.ProcessId) : null;
                    var schedFake = httpTiming && fake.Pid is { } fakePid ? SchedStat.Of(fakePid) : null;
                    var m = await RunBench.RunAsync(fake.BaseUrl, new RunSetup(samples, concurrency, limit, !noCache, db, progress, scenario, provider), CancellationToken.None);
                    var httpParts = http?.Stop();
                    var harnessSched = schedHarness?.Until(SchedStat.Of(System.Environment.ProcessId));
                    var fakeSched = schedFake is not null && fake.Pid is { } fakePid2 ? schedFake.Until(SchedStat.Of(fakePid2)) : ((double, double, long)?)null;
                    foreach (var (name, count, ms, tiers) in jit?.Stop().Take(60) ?? []) Console.WriteLine($"jitted {count,4}x {ms,7:0.0} ms  tiers {tiers,-6} {name}");
                    if (gcs is not null)
                    {
                        var (phases, marked, allocated) = gcs.Stop();
                        foreach (var g in phases)
                            Console.WriteLine($"gc gen{g.Generation}:         suspend {g.SuspendMs,5:0.0} ms, collect {g.CollectMs,5:0.0} ms, restart {g.RestartMs,4:0.0} ms, pause {g.TotalMs,5:0.0} ms");
                        foreach (var (root, bytes) in marked.OrderByDescending(kv => kv.Value))
                            Console.WriteLine($"gc marked:       {bytes / 1048576.0,7:0.0} MB from {root} (all GCs of the run)");
                        var total = Math.Max(1, allocated.Values.Sum());
                        foreach (var (type, bytes) in allocated.OrderByDescending(kv => kv.Value).Take(25))
                            Console.WriteLine($"allocated:       {100.0 * bytes / total,5:0.0} % {type}");
                    }
                    var after = await fake.StatsAsync();
                    Print(mode, m, before, after, concurrency, latencyMs, limit);
                    if (httpParts is not null) PrintHttpTiming(m, after, requests: after.Requests - before.Requests, httpParts, harnessSched, fakeSched);
                    failed += m.Errors;
                    if (keepDb is not null) break;
                }

                return failed == 0 ? 0 : 1;
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

        /// <summary>
        /// Rounds of <paramref name="samples"/> samples against <paramref name="main"/>, or a second fake without its request
        /// limit (so the limited fake's window is untouched), until tiered compilation settles: a round that JIT-compiles fewer than 50 methods.
        /// </summary>
        private static async Task WarmUpAsync(FakeHost main, bool inProcess, FaultPlan plan, int samples, int rounds, int concurrency, bool cache, string temp, string? scenario,
            string provider)
        {
            await using var own = plan.RequestLimit is null ? null : await FakeHost.StartAsync(inProcess, plan with { RequestLimit = null });
            var fake = own ?? main;
            for (var round = 1; round <= rounds; round++)
            {
                var db = Path.Combine(temp, $"warmup-{round}.db");
                var w = await RunBench.RunAsync(fake.BaseUrl, new RunSetup(samples, concurrency, null, cache, db, false, scenario, provider), CancellationToken.None);
                foreach (var f in Directory.GetFiles(temp, $"warmup-{round}.db*")) File.Delete(f);
                Console.WriteLine($"warm-up {round,2}:     {w.Planned} samples in {w.Wall.TotalSeconds:0.00} s, {w.Ran / w.Wall.TotalSeconds:0} samples/s, "
                    + $"{w.Cpu.TotalMilliseconds / Math.Max(1, w.ModelCalls):0.000} ms CPU per call, {w.JitMethods} methods JIT-compiled (not counted)");
                if (w.JitMethods < 50) return;
            }

            Console.WriteLine($"warm-up:         tiered compilation had not settled after {rounds} rounds");
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
                if (turns == 1)
                {
                    // Single-turn only: with reactions, samples of more turns finish late, so the middle of the run over-counts short ones.
                    if (m.SteadyRate > 0) Console.WriteLine($"steady ratio:    {m.SteadyRate / ideal:0.000} ({m.SteadyRate:0.0} samples/s finished between the 20th and 80th percentile of finish times)");
                    // Every slot runs its samples one after another: some slot runs ⌈N / C⌉ of them, so no run is shorter than that many latencies.
                    var rounds = (m.Ran + concurrency - 1) / concurrency;
                    var least = rounds * latencyMs / 1000;
                    Console.WriteLine($"round bound:     {m.Ran} samples on {concurrency} slots take at least {rounds} latencies = {least:0.000} s: ratio at most {m.Ran / least / ideal:0.000}");
                }
            }

            Console.WriteLine($"sample time:     {m.MeanSampleMs:0.0} ms mean from start to graded (before its store write); slots busy with samples "
                + $"{m.MeanSampleMs * m.Ran / 1000 / (concurrency * seconds):P1} of concurrency x wall time");
            if (turns == 1 && requests == m.Ran && m.MeanStart is { } start && m.MeanFinish is { } finish
                && after.MeanArrival is { } arrival && after.MeanReply is { } reply)
            {
                // One request per sample: the differences of the means are the means of each sample's parts (same wall clock in both processes).
                Console.WriteLine($"sample parts:    start to request at the fake {(arrival - start).TotalMilliseconds:0.00} ms, at the fake {(reply - arrival).TotalMilliseconds:0.00} ms, "
                    + $"reply handed to the fake's socket to graded {(finish - reply).TotalMilliseconds:0.00} ms (means)");
            }

            Console.WriteLine($"run edges:       first sample started {m.BeforeFirstStart.TotalMilliseconds:0.0} ms after the run began; the run returned {m.AfterLastFinish.TotalMilliseconds:0.0} ms after the last sample was graded");

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

            if (after.Delays > 0)
            {
                Console.WriteLine($"fake latency:    its {latencyMs:0.#} ms delays ended {after.LateMs / after.Delays:0.00} ms late on average (timer lateness on the loaded machine)");
            }

            Console.WriteLine($"pool threads:    {m.PoolThreads} at the end of the run (the thread pool's hill climbing settles differently from process to process)");
            Console.WriteLine($"JIT in the run:  {m.JitMethods} methods compiled, {m.JitTime.TotalMilliseconds:0} ms of compiler time (tiering; counted in harness CPU)");
            Console.WriteLine($"allocated:       {m.AllocatedBytes / 1048576.0:0.0} MB = {m.AllocatedBytes / 1024.0 / Math.Max(1, m.Ran):0.0} KB per sample; GCs gen0 {m.Gen0}, gen1 {m.Gen1}, gen2 {m.Gen2}; GC pauses {m.GcPause.TotalMilliseconds:0} ms ({m.GcPause / m.Wall:P1} of the wall time)");
            if (m.EphemeralSeen > 0)
            {
                Console.WriteLine($"ephemeral GCs:   {m.EphemeralSeen} seen by the sampler: {m.EphemeralPromotedMb:0.0} MB promoted and {m.EphemeralPauseMs:0.0} ms paused each, on average");
            }

            Console.WriteLine($"peak memory:     {Mb(m.PeakKernelBytes)} MB resident (kernel VmHWM{(m.PeakKernelReset ? ", over the run" : ", whole process lifetime")}); "
                + $"sampled: working set {Mb(m.PeakWorkingSetBytes)} MB, GC heap {Mb(m.PeakGcHeapBytes)} MB, GC committed {Mb(m.PeakGcCommittedBytes)} MB");
            Console.WriteLine($"store:           {Mb(m.DbBytes)} MB database file");
        }

        /// <summary>The --http-timing lines: the request's parts (one request per sample only), then both processes' pools and scheduling.</summary>
        private static void PrintHttpTiming(RunMeasurement m, FakeStats after, long requests, HttpTiming http,
            (double RunMs, double WaitMs, long Slices)? harness, (double RunMs, double WaitMs, long Slices)? fake)
        {
            if (requests == m.Ran && m.ModelCalls == m.Ran && http is { MeanStart: { } send, MeanHeaders: { } headers }
                && m.MeanStart is { } start && m.MeanFinish is { } graded && after.MeanArrival is { } arrival && after.MeanReply is { } reply)
            {
                Console.WriteLine($"http timing:     sample start to HTTP send {(send - start).TotalMilliseconds:0.00} ms, to the fake {(arrival - send).TotalMilliseconds:0.00} ms, "
                    + $"fake reply to response headers {(headers - reply).TotalMilliseconds:0.00} ms, headers to graded {(graded - headers).TotalMilliseconds:0.00} ms (means)");
                // Absolute means, to line up with a packet capture on the loopback interface (see bench/README.md).
                Console.WriteLine($"http clock:      mean UTC times: start {start:HH:mm:ss.ffffff}, send {send:HH:mm:ss.ffffff}, fake arrival {arrival:HH:mm:ss.ffffff}, "
                    + $"fake reply {reply:HH:mm:ss.ffffff}, headers {headers:HH:mm:ss.ffffff}, graded {graded:HH:mm:ss.ffffff}");
            }

            Console.WriteLine($"thread pool:     {http.MeanQueue:0.0} work items queued on average (every 5 ms), at most {http.MaxQueue}; "
                + $"{http.MeanThreads:0.0} threads on average, at most {http.MaxThreads}"
                + (after.CpuMs is null ? "" : $"; the fake's: {after.MeanQueue:0.0}, at most {after.MaxQueue}"));
            if (harness is { } h)
            {
                Console.WriteLine($"scheduler:       harness threads ran {h.RunMs:0} ms and waited {h.WaitMs:0} ms runnable for a CPU ({h.Slices} slices)"
                    + (fake is { } f ? $"; the fake's ran {f.RunMs:0} ms and waited {f.WaitMs:0} ms ({f.Slices} slices)" : ""));
            }
        }

        private static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);
    }
}
