using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Keel.Fakes;

namespace Keel.Bench;

/// <summary>The fake provider's counters and, when it runs in its own process, its CPU time and peak working set.</summary>
internal sealed record FakeStats(long Requests, long Successes, long OverLimit, long InFlight, double? CpuMs, long? PeakWorkingSetBytes,
    long Delays = 0, double LateMs = 0, DateTime? MeanArrival = null, DateTime? MeanReply = null, double MeanQueue = 0, long MaxQueue = 0)
{
    /// <summary>The counters of <paramref name="counters"/>, with this process's CPU time and peak when it is the fake's own.</summary>
    public static FakeStats From(FakeServerCounters counters, double? cpuMs = null, long? peakWorkingSetBytes = null) =>
        new(counters.Requests, counters.Successes, counters[FakeOutcome.OverLimit], counters.InFlight, cpuMs, peakWorkingSetBytes,
            counters.Delays, counters.Late.TotalMilliseconds, counters.MeanArrival, counters.MeanReply);
}

/// <summary>
/// A <see cref="FakeProviderServer"/> for a benchmark: in a child process (the default, so the bench process's CPU
/// time and memory are the harness's alone) or in this process.
/// </summary>
internal abstract class FakeHost : IAsyncDisposable
{
    public abstract string BaseUrl { get; }

    /// <summary>"child process (pid N)" or "in-process".</summary>
    public abstract string Where { get; }

    /// <summary>The child process's id, or null in-process.</summary>
    public virtual int? Pid => null;

    public string OpenAiBaseUrl => BaseUrl + "/v1";

    public abstract Task<FakeStats> StatsAsync();

    public abstract Task ResetAsync();

    public abstract ValueTask DisposeAsync();

    public static async Task<FakeHost> StartAsync(bool inProcess, FaultPlan plan) =>
        inProcess ? await InProcessFake.StartAsync(plan) : await ChildFake.StartAsync(plan);

    /// <summary>The <c>serve-fake</c> verb's arguments for a plan (latency and request limit are all a benchmark needs).</summary>
    public static IEnumerable<string> Arguments(FaultPlan plan)
    {
        yield return "--latency";
        yield return plan.Latency.TotalMilliseconds.ToString(CultureInfo.InvariantCulture);
        if (plan.RequestLimit is { } limit)
        {
            yield return "--request-limit";
            yield return limit.ToString(CultureInfo.InvariantCulture);
            yield return "--window";
            yield return plan.RequestLimitWindow.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        }
    }

    public static FaultPlan PlanFrom(Args args)
    {
        var plan = new FaultPlan
        {
            Latency = TimeSpan.FromMilliseconds(args.Double("latency", 0)),
            RequestLimit = args.OptionalInt("request-limit"),
            RequestLimitWindow = TimeSpan.FromSeconds(args.Double("window", 60)),
            Seed = args.Int("fault-seed", 0),
            RateLimitProbability = args.Double("rate-limited", 0),
            RetryAfterSeconds = args.Int("retry-after", 1),
            ServerErrorProbability = args.Double("server-errors", 0),
            OverloadedProbability = args.Double("overloaded", 0),
            HangProbability = args.Double("hangs", 0),
            MalformedJsonProbability = args.Double("malformed", 0),
            TruncatedBodyProbability = args.Double("truncated", 0),
        };
        plan.Validate();
        return plan;
    }

    /// <summary>
    /// The <c>serve-fake</c> verb: serves until stdin closes; answers <c>stats</c>, <c>stats counters</c> (requests per
    /// outcome), <c>reset</c> and <c>faults off</c> lines on stdin.
    /// </summary>
    public static async Task<int> ServeAsync(Args args)
    {
        var plan = PlanFrom(args);
        var port = args.Int("port", 0);
        args.RejectUnknown();
        await using var server = await FakeProviderServer.StartAsync(port);
        server.Faults = plan;
        Console.Out.WriteLine($"ready {server.BaseUrl}");
        // The fake's thread-pool queue, sampled every 5 ms since the last reset (for --http-timing's line).
        long queueSum = 0, queueMax = 0, queueSamples = 0;
        var sampler = new Thread(() =>
        {
            while (true)
            {
                var queued = ThreadPool.PendingWorkItemCount;
                Interlocked.Add(ref queueSum, queued);
                Interlocked.Increment(ref queueSamples);
                if (queued > Interlocked.Read(ref queueMax)) Interlocked.Exchange(ref queueMax, queued);
                Thread.Sleep(5);
            }
        }) { IsBackground = true, Name = "queue sampler" };
        sampler.Start();
        while (await Console.In.ReadLineAsync() is { } line)
        {
            switch (line.Trim())
            {
                case "stats":
                    using (var self = Process.GetCurrentProcess())
                    {
                        var n = Interlocked.Read(ref queueSamples);
                        var stats = FakeStats.From(server.Counters, self.TotalProcessorTime.TotalMilliseconds, self.PeakWorkingSet64) with
                        {
                            MeanQueue = n == 0 ? 0 : (double)Interlocked.Read(ref queueSum) / n,
                            MaxQueue = Interlocked.Read(ref queueMax),
                        };
                        Console.Out.WriteLine("stats " + JsonSerializer.Serialize(stats));
                    }

                    break;
                case "faults off":
                    // Latency and the request limit stay; every request is answered from now on (for `keel eval --resume`).
                    server.Faults = server.Faults with
                    {
                        RateLimitProbability = 0, ServerErrorProbability = 0, OverloadedProbability = 0, HangProbability = 0,
                        MalformedJsonProbability = 0, TruncatedBodyProbability = 0,
                    };
                    Console.Out.WriteLine("ok");
                    break;
                case "stats counters":
                    Console.Out.WriteLine("counters " + string.Join(", ", Enum.GetValues<FakeOutcome>().Select(o => $"{o} {server.Counters[o]}")));
                    break;
                case "reset":
                    server.Counters.Reset();
                    Interlocked.Exchange(ref queueSum, 0);
                    Interlocked.Exchange(ref queueSamples, 0);
                    Interlocked.Exchange(ref queueMax, 0);
                    Console.Out.WriteLine("ok");
                    break;
                default:
                    Console.Out.WriteLine($"error unknown command '{line}'");
                    break;
            }
        }

        return 0;
    }

    private sealed class InProcessFake(FakeProviderServer server) : FakeHost
    {
        public override string BaseUrl => server.BaseUrl;

        public override string Where => "in-process (its CPU and memory are included in the harness numbers)";

        public static async Task<FakeHost> StartAsync(FaultPlan plan)
        {
            var server = await FakeProviderServer.StartAsync();
            server.Faults = plan;
            return new InProcessFake(server);
        }

        public override Task<FakeStats> StatsAsync() => Task.FromResult(FakeStats.From(server.Counters));

        public override Task ResetAsync()
        {
            server.Counters.Reset();
            return Task.CompletedTask;
        }

        public override ValueTask DisposeAsync() => server.DisposeAsync();
    }

    private sealed class ChildFake(Process process, string baseUrl) : FakeHost
    {
        private readonly SemaphoreSlim _gate = new(1, 1);

        public override string BaseUrl => baseUrl;

        public override string Where => $"child process (pid {process.Id})";

        public override int? Pid => process.Id;

        public static async Task<FakeHost> StartAsync(FaultPlan plan)
        {
            var self = System.Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
            var start = new ProcessStartInfo(self)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            // The fake stands in for a provider's servers: it keeps the runtime's default (workstation) collector and
            // thread-pool spinning rather than the harness's settings this executable carries (src/Keel.Cli/Runtime.props).
            start.Environment["DOTNET_gcServer"] = "0";
            start.Environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "70"; // the runtime's default, not keel's 0
            foreach (System.Collections.DictionaryEntry e in System.Environment.GetEnvironmentVariables())
            {
                if (((string)e.Key).StartsWith("FAKE_", StringComparison.Ordinal)) start.Environment[((string)e.Key)[5..]] = (string?)e.Value;
            }
            // Under `dotnet Keel.Bench.dll` the process is the dotnet host: pass it the assembly.
            if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(FakeHost).Assembly.Location);
            start.ArgumentList.Add("serve-fake");
            foreach (var a in Arguments(plan)) start.ArgumentList.Add(a);
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the fake");
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (line is null || !line.StartsWith("ready ", StringComparison.Ordinal))
            {
                process.Kill();
                throw new InvalidOperationException($"the fake did not start: {line}");
            }

            return new ChildFake(process, line["ready ".Length..]);
        }

        public override async Task<FakeStats> StatsAsync() =>
            JsonSerializer.Deserialize<FakeStats>((await CommandAsync("stats"))["stats ".Length..])!;

        public override async Task ResetAsync() => await CommandAsync("reset");

        public override async ValueTask DisposeAsync()
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(10))) process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
            _gate.Dispose();
        }

        private async Task<string> CommandAsync(string command)
        {
            await _gate.WaitAsync();
            try
            {
                await process.StandardInput.WriteLineAsync(command);
                await process.StandardInput.FlushAsync();
                var reply = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the fake exited");
                if (reply.StartsWith("error", StringComparison.Ordinal)) throw new InvalidOperationException(reply);
                return reply;
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
