using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Fakes;
using Keel.Models;
using Keel.Store;
using Keel.Suites;
using Microsoft.Extensions.AI;

namespace Keel.Bench;

/// <summary>
/// The <c>floor</c> verb: the same number of single calls at the same concurrency against the same child fake, through
/// a ladder of stacks in turn, so the throughput ratio of <c>keel eval</c> can be set beside what the layers under it
/// reach on this machine: <c>http</c> (an <see cref="HttpClient"/> posting keel's own request body), <c>chat</c> (the
/// <see cref="IChatClient"/> keel builds over the OpenAI SDK, same messages and tools, no resilience, cache or store),
/// <c>model</c> (the model <see cref="ModelFactory"/> creates: resilience handler, adaptive concurrency), <c>cached</c>
/// (that model with a store's response cache, every call a new epoch: a miss and an entry write), <c>nocache</c>
/// (<c>keel eval --no-cache</c>: agent loop, grading, store) and <c>keel</c> (the <c>throughput</c> verb's whole run).
/// The request body is the one keel sends for the scenario's first condition, recorded once from an in-process fake.
/// </summary>
internal static class FloorBench
{
    private const string Layers = "http, chat, model, cached, nocache, keel";

    public static async Task<int> RunAsync(Args args)
    {
        var samples = args.Int("samples", 5000);
        var latencyMs = args.Double("latency", 100);
        var concurrency = args.Int("concurrency", 256);
        var repeat = args.Int("repeat", 3);
        var warmup = args.Int("warmup", 2000);
        var scenario = args.String("scenario", "blackmail-larkspur");
        var only = args.OptionalString("layers")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            ?? Layers.Split(", ");
        args.RejectUnknown();
        if (samples < 1 || concurrency < 1 || latencyMs <= 0 || repeat < 1 || warmup < 0)
        {
            throw new ArgumentException("--samples, --concurrency, --latency and --repeat must be positive; --warmup 0 or more");
        }

        foreach (var layer in only)
        {
            if (!Layers.Split(", ").Contains(layer)) throw new ArgumentException($"--layers: '{layer}' is not one of {Layers}");
        }

        var temp = Path.Combine(Path.GetTempPath(), $"keel-floor-{System.Environment.ProcessId}");
        Directory.CreateDirectory(temp);
        try
        {
            var body = await RecordBodyAsync(scenario, temp);
            await using var fake = await FakeHost.StartAsync(inProcess: false, new FaultPlan { Latency = TimeSpan.FromMilliseconds(latencyMs) });
            Console.WriteLine($"floor:           {samples} single calls at concurrency {concurrency}, fake latency {latencyMs:0.#} ms ({fake.Where}); "
                + $"request body {body.Length} bytes (keel's first request for {scenario})");
            var ideal = concurrency / (latencyMs / 1000);
            var rounds = (samples + concurrency - 1) / concurrency;
            Console.WriteLine($"ideal:           {ideal:0.0} calls/s; round bound {samples / (rounds * latencyMs / 1000) / ideal:0.000} ({rounds} latencies at least)");

            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue };
            using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
            var chat = ModelFactory.OpenAiClient("fake", "bench", fake.OpenAiBaseUrl, http);
            var (messages, options) = ChatRequest(body);
            var url = new Uri(fake.OpenAiBaseUrl + "/chat/completions");
            var endpoint = new EndpointConfig(RunBench.ModelSpec, BaseUrl: fake.OpenAiBaseUrl);
            using var model = new ModelFactory(_ => null).Create(endpoint, new ModelRunSettings(concurrency));
            await using var cacheStore = await KeelStore.OpenAsync(Path.Combine(temp, "cache.db"));
            using var cachedModel = new ModelFactory(_ => null).Create(endpoint, new ModelRunSettings(concurrency), cacheStore);
            var condition = SuiteResolver.Resolve("core").Conditions.First(c => c.ScenarioId == scenario);
            var epoch = 0;

            Func<CancellationToken, Task> Call(string layer) => layer switch
            {
                "http" => ct => PostAsync(http, url, body, ct),
                "chat" => ct => chat.GetResponseAsync(messages, options, ct),
                "model" => ct => model.ClientFor(new SampleContext(1, condition, 1)).GetResponseAsync(messages, options, ct),
                "cached" => ct => cachedModel.ClientFor(new SampleContext(1, condition, Interlocked.Increment(ref epoch))).GetResponseAsync(messages, options, ct),
                _ => throw new InvalidOperationException(layer),
            };

            async Task<RunMeasurement> EvalAsync(string layer, int n, string db) =>
                await RunBench.RunAsync(fake.BaseUrl, new RunSetup(n, concurrency, null, layer == "keel", db, false, scenario), CancellationToken.None);

            if (warmup > 0)
            {
                foreach (var layer in only)
                {
                    if (layer is "keel" or "nocache") await EvalAsync(layer, warmup, Path.Combine(temp, $"warm-{layer}.db"));
                    else await CallsAsync(Call(layer), warmup, concurrency);
                }

                Console.WriteLine($"warm-up:         {warmup} calls per layer (not counted)");
            }

            for (var i = 1; i <= repeat; i++)
            {
                foreach (var layer in only)
                {
                    await fake.ResetAsync();
                    var before = await fake.StatsAsync();
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    GC.Collect();
                    double wallS, cpuMs, meanMs;
                    long calls;
                    if (layer is "keel" or "nocache")
                    {
                        var m = await EvalAsync(layer, samples, Path.Combine(temp, $"{layer}-{i}.db"));
                        (wallS, cpuMs, meanMs, calls) = (m.Wall.TotalSeconds, m.Cpu.TotalMilliseconds, m.MeanSampleMs, m.ModelCalls);
                    }
                    else
                    {
                        (wallS, cpuMs, meanMs) = await CallsAsync(Call(layer), samples, concurrency);
                        calls = samples;
                    }

                    var after = await fake.StatsAsync();
                    var fakeCpu = after.CpuMs - before.CpuMs;
                    Console.WriteLine($"run {i} {layer,-7}     {calls / wallS / ideal:0.000} of ideal ({calls / wallS:0.0} calls/s, {wallS:0.000} s); call {meanMs:0.0} ms mean; "
                        + $"CPU per call: harness {cpuMs / calls:0.000} ms, fake {fakeCpu / calls:0.000} ms");
                }
            }

            return 0;
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

    /// <summary>Runs <paramref name="n"/> calls on <paramref name="slots"/> slots, each slot one call after another: wall seconds, CPU ms, mean call ms.</summary>
    private static async Task<(double WallS, double CpuMs, double MeanMs)> CallsAsync(Func<CancellationToken, Task> call, int n, int slots)
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var next = 0;
        long ticks = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, slots).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= n)
            {
                var started = Stopwatch.GetTimestamp();
                await call(CancellationToken.None);
                Interlocked.Add(ref ticks, Stopwatch.GetTimestamp() - started);
            }
        }));
        await Task.WhenAll(workers);
        clock.Stop();
        self.Refresh();
        return (clock.Elapsed.TotalSeconds, (self.TotalProcessorTime - cpu).TotalMilliseconds, ticks * 1000.0 / Stopwatch.Frequency / n);
    }

    private static async Task PostAsync(HttpClient http, Uri url, byte[] body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "bench");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        response.EnsureSuccessStatusCode();
        _ = await response.Content.ReadAsByteArrayAsync(ct);
    }

    /// <summary>The body keel sends for the scenario's first sample, recorded by an in-process fake.</summary>
    private static async Task<byte[]> RecordBodyAsync(string scenario, string temp)
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.RecordRequests = true;
        await RunBench.RunAsync(server.BaseUrl, new RunSetup(1, 1, null, false, Path.Combine(temp, "record.db"), false, scenario), CancellationToken.None);
        var recorded = server.Recorded.FirstOrDefault() ?? throw new InvalidOperationException("keel sent no request");
        return JsonSerializer.SerializeToUtf8Bytes(recorded.Body);
    }

    /// <summary>The recorded body as M.E.AI messages and tool declarations (text messages only: a first turn has no others).</summary>
    private static (List<ChatMessage> Messages, ChatOptions Options) ChatRequest(byte[] body)
    {
        var json = JsonNode.Parse(body)!;
        var messages = json["messages"]!.AsArray()
            .Select(m => new ChatMessage(new ChatRole(m!["role"]!.GetValue<string>()), m["content"]!.GetValue<string>()))
            .ToList();
        var tools = (json["tools"]?.AsArray() ?? [])
            .Select(t => t!["function"]!)
            .Select(f => (AITool)AIFunctionFactory.CreateDeclaration(f["name"]!.GetValue<string>(), f["description"]?.GetValue<string>(),
                JsonSerializer.SerializeToElement(f["parameters"])))
            .ToList();
        return (messages, new ChatOptions { Tools = tools.Count > 0 ? tools : null });
    }
}
