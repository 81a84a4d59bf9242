using System.Diagnostics;
using Keel.Agents;
using Keel.Evaluation;
using Keel.Fakes;
using Keel.Grading;
using Keel.Models;
using Keel.Store;
using Keel.Suites;
using Keel.Transcripts;
using Microsoft.Extensions.AI;

namespace Keel.Bench;

/// <summary>
/// The <c>micro</c> verb: the per-sample pieces of a run, each timed alone, one at a time (no concurrency), on this
/// process's CPU clock: microseconds of CPU and bytes allocated per operation. The fake (for the HTTP piece) runs
/// in a child process. A breakdown for finding the hot path, not a throughput figure.
/// </summary>
internal static class Micro
{
    public static async Task<int> RunAsync(Args args)
    {
        var ops = args.Int("ops", 3000);
        var only = args.OptionalString("only");
        args.RejectUnknown();

        var suite = SuiteResolver.Resolve("core");
        var condition = suite.Conditions[0];
        var agent = new AgentOptions();
        var grader = FamilyCatalogue.Find(condition.Family)!.CreateDetector();
        var stub = new StubChatClient();
        var transcript = (await AgentLoop.Default.RunAsync(stub, condition.Spec, agent, CancellationToken.None)).Transcript;
        var key = new SampleKey(RunBench.ModelSpec, condition.Id, 1);
        var result = new SampleResult(key, condition.ScenarioId, condition.Family, condition.Split, SampleStatus.Done, null, transcript,
            [await grader.GradeAsync(new GradingContext(transcript, condition.Spec.Facts, condition.Spec.World), CancellationToken.None)],
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        var temp = Path.Combine(Path.GetTempPath(), $"keel-micro-{System.Environment.ProcessId}");
        Directory.CreateDirectory(temp);
        await using var fake = await FakeHost.StartAsync(false, FaultPlan.None);
        await using var store = await KeelStore.OpenAsync(Path.Combine(temp, "micro.db"));
        var config = new EvalConfig("core", [RunBench.ModelSpec], 1, 1, agent);
        var run = RunFactory.Create(config, suite);
        await store.CreateRunAsync(run);
        using var model = new ModelFactory(_ => null).Create(new EndpointConfig(RunBench.ModelSpec, BaseUrl: fake.OpenAiBaseUrl), new ModelRunSettings(8));
        var client = model.ClientFor(new SampleContext(1, condition, 1));
        List<ChatMessage> messages = [new(ChatRole.System, condition.Spec.SystemPrompt), new(ChatRole.User, condition.Spec.Kickoff)];
        var captured = new CapturingChatClient();
        await AgentLoop.Default.RunAsync(captured, condition.Spec, agent, CancellationToken.None);
        var options = captured.Options!;
        var epoch = 0;
        var cacheKey = "";

        Console.WriteLine($"{"piece",-34} {"CPU us/op",10} {"KB alloc/op",12}   ({ops} ops each, after {ops} warm-up ops)");
        try
        {
            await Measure("agent loop (stub model, 1 turn)", () => AgentLoop.Default.RunAsync(stub, condition.Spec, agent, CancellationToken.None));
            await Measure("grade (blackmail detector)", async () => (object?)await grader.GradeAsync(new GradingContext(transcript, condition.Spec.Facts, condition.Spec.World), CancellationToken.None));
            await Measure("transcript JSON", () => Task.FromResult(TranscriptJson.Serialize(transcript)));
            await Measure("response-cache key", () => Task.FromResult(cacheKey = ResponseCacheChatClient.Key(RunBench.ModelSpec, condition.Id, ++epoch, messages, options)));
            await Measure("store: cache get (miss)", async () => (object?)await store.GetAsync(Guid.NewGuid().ToString("N"), CancellationToken.None));
            await Measure("store: cache set", async () => { await store.SetAsync(Guid.NewGuid().ToString("N"), RunBench.ModelSpec, """{"messages":[{"role":"assistant","contents":[{"$type":"text","text":"OK"}]}]}""", CancellationToken.None); return 0; });
            await Measure("store: save sample (1 per commit)", async () => { await store.SaveSampleAsync(run.Id, result with { Key = key with { Epoch = ++epoch } }, CancellationToken.None); return 0; });
            await Measure("model call over HTTP (no cache)", () => client.GetResponseAsync(messages, options, CancellationToken.None));
            var body = await captured.RequestBodyAsync(fake.OpenAiBaseUrl, messages, options);
            using var http = new HttpClient(new Keel.Models.Http.ResilienceHandler(Keel.Models.Http.ResilienceOptions.Default,
                new Keel.Models.Http.AdaptiveConcurrencyLimiter(1, 8), null, null, new SocketsHttpHandler()));
            await Measure($"  HTTP alone ({body.Length / 1024.0:0.0} KB request body)", async () =>
            {
                using var response = await http.PostAsync(fake.OpenAiBaseUrl + "/chat/completions", new ByteArrayContent(body));
                return await response.Content.ReadAsByteArrayAsync();
            });
            using var raw = new HttpClient(new SocketsHttpHandler());
            await Measure("  HTTP alone, no resilience handler", async () =>
            {
                using var response = await raw.PostAsync(fake.OpenAiBaseUrl + "/chat/completions", new ByteArrayContent(body));
                return await response.Content.ReadAsByteArrayAsync();
            });
            if (only is null || "in-flight".Contains(only, StringComparison.OrdinalIgnoreCase)) await InFlightAsync(temp);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }

        return 0;

        async Task Measure<T>(string name, Func<Task<T>> op)
        {
            if (only is not null && !name.Contains(only, StringComparison.OrdinalIgnoreCase)) return;
            for (var i = 0; i < ops; i++) await op();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            using var self = Process.GetCurrentProcess();
            var cpu = self.TotalProcessorTime;
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < ops; i++) await op();
            var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            self.Refresh();
            var us = (self.TotalProcessorTime - cpu).TotalMicroseconds / ops;
            Console.WriteLine($"{name,-34} {us,10:0.0} {bytes / 1024.0 / ops,12:0.0}");
        }
    }

    /// <summary>
    /// Managed memory held per sample while it waits for the model: a run of 256 samples at concurrency 256 against a fake
    /// with 3 s latency, on one model whose connections a first such run has opened; the GC heap after a full collection
    /// 1.5 s into the second run, minus the heap between the runs. Also the agent loop's share, waiting on a stub model.
    /// </summary>
    private static async Task InFlightAsync(string temp)
    {
        const int inFlight = 256;
        await using var slow = await FakeHost.StartAsync(false, new FaultPlan { Latency = TimeSpan.FromSeconds(3) });
        var suite = SuiteResolver.Resolve("core");
        var epochs = inFlight / suite.Conditions.Count;
        var endpoint = new EndpointConfig(RunBench.ModelSpec, BaseUrl: slow.OpenAiBaseUrl);
        await using var store = await KeelStore.OpenAsync(Path.Combine(temp, "inflight.db"));
        // No response cache: the second run would be answered from the first one's entries.
        using var model = new ModelFactory(_ => null).Create(endpoint, new ModelRunSettings(inFlight), null, store);
        var runner = new EvalRunner(store, AgentLoop.Default);
        long idle = 0, during = 0, inFlightNow = 0;
        for (var round = 0; round < 2; round++)
        {
            var run = RunFactory.Create(new EvalConfig("core", [RunBench.ModelSpec], epochs, round, new AgentOptions(), [endpoint]), suite);
            await store.CreateRunAsync(run);
            idle = GC.GetTotalMemory(forceFullCollection: true);
            var running = runner.RunAsync(run, suite, [model], new RunOptions(inFlight), null, CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            during = GC.GetTotalMemory(forceFullCollection: true);
            inFlightNow = (await slow.StatsAsync()).InFlight;
            await running;
        }

        var gate = new TaskCompletionSource<ChatResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocked = new BlockedChatClient(gate.Task);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var loops = Enumerable.Range(0, inFlight).Select(i => AgentLoop.Default.RunAsync(blocked, suite.Conditions[i % suite.Conditions.Count].Spec, new AgentOptions(), CancellationToken.None)).ToList();
        var waiting = GC.GetTotalMemory(forceFullCollection: true);
        gate.SetResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "OK")));
        await Task.WhenAll(loops);
        Console.WriteLine($"{"held per in-flight sample",-34} {"",10} {(during - idle) / 1024.0 / inFlightNow,12:0.0}   ({inFlightNow} in flight on open connections)");
        List<ChatMessage> messages = [new(ChatRole.System, suite.Conditions[0].Spec.SystemPrompt), new(ChatRole.User, suite.Conditions[0].Spec.Kickoff)];
        var captured = new CapturingChatClient();
        await AgentLoop.Default.RunAsync(captured, suite.Conditions[0].Spec, new AgentOptions(), CancellationToken.None);
        foreach (var resilience in new[] { true, false })
        {
            var hold = new HoldingHandler();
            HttpMessageHandler handler = resilience
                ? new Keel.Models.Http.ResilienceHandler(Keel.Models.Http.ResilienceOptions.Default, new Keel.Models.Http.AdaptiveConcurrencyLimiter(1, inFlight), null, null, hold)
                : hold;
            using var sdk = new OpenAI.OpenAIClient(new System.ClientModel.ApiKeyCredential("none"), new OpenAI.OpenAIClientOptions
            {
                Endpoint = new Uri(slow.OpenAiBaseUrl),
                Transport = new System.ClientModel.Primitives.HttpClientPipelineTransport(new HttpClient(handler)),
            }).GetChatClient("fake").AsIChatClient();
            var idleSdk = GC.GetTotalMemory(forceFullCollection: true);
            var calls = Enumerable.Range(0, inFlight).Select(_ => sdk.GetResponseAsync(messages, captured.Options!.Clone())).ToList();
            var heldSdk = GC.GetTotalMemory(forceFullCollection: true);
            hold.Release();
            await Task.WhenAll(calls);
            Console.WriteLine($"{(resilience ? "  SDK + resilience, no socket" : "  SDK alone, no socket"),-34} {"",10} {(heldSdk - idleSdk) / 1024.0 / inFlight,12:0.0}");
        }

        Console.WriteLine($"{"  of which the agent loop's",-34} {"",10} {(waiting - before) / 1024.0 / inFlight,12:0.0}   (the loop waiting on a model that has not answered)");
    }

    /// <summary>Replies "OK" at once, without tool calls: a single-turn sample with no model behind it.</summary>
    private sealed class StubChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "OK"))
            {
                FinishReason = ChatFinishReason.Stop,
                Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 1 },
            });

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>Holds every request until released, then answers each with a minimal chat completion.</summary>
    private sealed class HoldingHandler : HttpMessageHandler
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _release.TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // Read the body as a socket handler would, so the SDK serializes it.
            if (request.Content is { } content) await content.CopyToAsync(Stream.Null, cancellationToken);
            await _release.Task;
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = new StringContent("""{"id":"x","object":"chat.completion","created":1,"model":"fake","choices":[{"index":0,"message":{"role":"assistant","content":"OK"},"finish_reason":"stop"}]}""",
                    System.Text.Encoding.UTF8, "application/json"),
            };
        }
    }

    /// <summary>Answers every call with one shared pending task.</summary>
    private sealed class BlockedChatClient(Task<ChatResponse> reply) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => reply;

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>Keeps the options of the call it answers.</summary>
    private sealed class CapturingChatClient : IChatClient
    {
        private readonly StubChatClient _stub = new();

        /// <summary>The body the OpenAI client sends for a call, caught by a handler that answers it itself.</summary>
        public async Task<byte[]> RequestBodyAsync(string baseUrl, IList<ChatMessage> messages, ChatOptions options)
        {
            var catcher = new BodyCatcher();
            using var model = new ModelFactory(_ => null).Create(new EndpointConfig(RunBench.ModelSpec, BaseUrl: baseUrl), new ModelRunSettings(1));
            var openAi = new OpenAI.OpenAIClient(new System.ClientModel.ApiKeyCredential("none"), new OpenAI.OpenAIClientOptions
            {
                Endpoint = new Uri(baseUrl),
                Transport = new System.ClientModel.Primitives.HttpClientPipelineTransport(new HttpClient(catcher)),
            }).GetChatClient("fake").AsIChatClient();
            await openAi.GetResponseAsync(messages, options);
            return catcher.Body!;
        }

        private sealed class BodyCatcher : HttpMessageHandler
        {
            public byte[]? Body { get; private set; }

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
                return new HttpResponseMessage(System.Net.HttpStatusCode.OK)
                {
                    Content = new StringContent("""{"id":"x","object":"chat.completion","created":1,"model":"fake","choices":[{"index":0,"message":{"role":"assistant","content":"OK"},"finish_reason":"stop"}]}""",
                        System.Text.Encoding.UTF8, "application/json"),
                };
            }
        }

        public ChatOptions? Options { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Options = options;
            return _stub.GetResponseAsync(messages, options, cancellationToken);
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
