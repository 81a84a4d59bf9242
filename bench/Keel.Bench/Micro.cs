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

        // Every piece cycles through all of core's conditions (one per op), so a figure is the suite's mean, not one setting's.
        var suite = SuiteResolver.Resolve("core");
        var agent = new AgentOptions();
        var stub = new StubChatClient();
        var graders = suite.Conditions.Select(c => c.Family).Distinct().ToDictionary(f => f, f => FamilyCatalogue.Find(f)!.CreateDetector());
        var cases = new List<Case>();
        foreach (var c in suite.Conditions)
        {
            var transcript = (await AgentLoop.Default.RunAsync(stub, c.Spec, agent, CancellationToken.None)).Transcript;
            var verdict = await graders[c.Family].GradeAsync(new GradingContext(transcript, c.Spec.Facts, c.Spec.World), CancellationToken.None);
            var captured = new CapturingChatClient();
            await AgentLoop.Default.RunAsync(captured, c.Spec, agent, CancellationToken.None);
            var result = new SampleResult(new SampleKey(RunBench.ModelSpec, c.Id, 1), c.ScenarioId, c.Family, c.Split, SampleStatus.Done, null, transcript,
                [verdict], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
            cases.Add(new Case(c, transcript, result, captured.Messages!, captured.Options!));
        }

        var temp = Path.Combine(Path.GetTempPath(), $"keel-micro-{System.Environment.ProcessId}");
        Directory.CreateDirectory(temp);
        await using var fake = await FakeHost.StartAsync(false, FaultPlan.None);
        await using var store = await KeelStore.OpenAsync(Path.Combine(temp, "micro.db"));
        var config = new EvalConfig("core", [RunBench.ModelSpec], 1, 1, agent);
        var run = RunFactory.Create(config, suite);
        await store.CreateRunAsync(run);
        using var model = new ModelFactory(_ => null).Create(new EndpointConfig(RunBench.ModelSpec, BaseUrl: fake.OpenAiBaseUrl), new ModelRunSettings(8));
        var sdk = NoSocketClient(fake.OpenAiBaseUrl, resilience: false);
        var sdkResilient = NoSocketClient(fake.OpenAiBaseUrl, resilience: true);
        var next = 0;
        var epoch = 0;
        Case Next() => cases[next++ % cases.Count];

        var bodies = new List<byte[]>();
        foreach (var c in cases) bodies.Add(await CapturingChatClient.RequestBodyAsync(fake.OpenAiBaseUrl, c.Messages, c.Options));
        Console.WriteLine($"{suite.Conditions.Count} conditions; first request body {bodies.Average(b => b.Length) / 1024.0:0.0} KB on average; "
            + $"transcript {cases.Average(c => TranscriptJson.Serialize(c.Transcript).Length) / 1024.0:0.0} KB of JSON on average");
        Console.WriteLine($"{"piece",-40} {"CPU us/op",10} {"KB alloc/op",12}   ({ops} ops each, after {ops} warm-up ops)");
        try
        {
            await Measure("agent loop (stub model, 1 turn)", () => { var c = Next(); return AgentLoop.Default.RunAsync(stub, c.Condition.Spec, agent, CancellationToken.None); });
            await Measure("grade (family detector)", async () => { var c = Next(); return (object?)await graders[c.Condition.Family].GradeAsync(new GradingContext(c.Transcript, c.Condition.Spec.Facts, c.Condition.Spec.World), CancellationToken.None); });
            foreach (var family in graders.Keys.Order(StringComparer.Ordinal))
            {
                var ofFamily = cases.Where(c => c.Condition.Family == family).ToList();
                var i = 0;
                await Measure($"  grade: {family} ({ofFamily.Count})", async () =>
                {
                    var c = ofFamily[i++ % ofFamily.Count];
                    return (object?)await graders[family].GradeAsync(new GradingContext(c.Transcript, c.Condition.Spec.Facts, c.Condition.Spec.World), CancellationToken.None);
                });
            }

            await Measure("transcript JSON", () => Task.FromResult(TranscriptJson.Serialize(Next().Transcript)));
            await Measure("response-cache key", () => { var c = Next(); return Task.FromResult(ResponseCacheChatClient.Key(RunBench.ModelSpec, c.Condition.Id, ++epoch, c.Messages, c.Options)); });
            await Measure("store: cache get (miss)", async () => (object?)await store.GetAsync(Guid.NewGuid().ToString("N"), CancellationToken.None));
            await Measure("store: cache set", async () => { await store.SetAsync(Guid.NewGuid().ToString("N"), RunBench.ModelSpec, """{"messages":[{"role":"assistant","contents":[{"$type":"text","text":"OK"}]}]}""", CancellationToken.None); return 0; });
            await Measure("store: save sample (1 per commit)", async () => { var c = Next(); await store.SaveSampleAsync(run.Id, c.Result with { Key = c.Result.Key with { Epoch = ++epoch } }, CancellationToken.None); return 0; });
            await Measure("SDK call, no socket (M.E.AI + OpenAI)", () => { var c = Next(); return sdk.GetResponseAsync(c.Messages, c.Options, CancellationToken.None); });
            await Measure("  with ResilienceHandler", () => { var c = Next(); return sdkResilient.GetResponseAsync(c.Messages, c.Options, CancellationToken.None); });
            var anthropic = ModelFactory.AnthropicClient("fake", "none", "http://fake.invalid", new HttpClient(new InMemoryReplyHandler(AnthropicReply)) { Timeout = Timeout.InfiniteTimeSpan }, 4096);
            await Measure("SDK call, no socket (M.E.AI + Anthropic)", () => { var c = Next(); return anthropic.GetResponseAsync(c.Messages, c.Options, CancellationToken.None); });
            await Measure("  the same without tool declarations", () => { var c = Next(); var o = c.Options.Clone(); o.Tools = null; return anthropic.GetResponseAsync(c.Messages, o, CancellationToken.None); });
            var caching = new PromptCachingChatClient(anthropic);
            await Measure("  with prompt caching", () => { var c = Next(); return caching.GetResponseAsync(c.Messages, c.Options, CancellationToken.None); });
            await Measure("model call over HTTP (no cache)", () => { var c = Next(); return model.ClientFor(new SampleContext(1, c.Condition, 1)).GetResponseAsync(c.Messages, c.Options, CancellationToken.None); });
            using var http = new HttpClient(new Keel.Models.Http.ResilienceHandler(Keel.Models.Http.ResilienceOptions.Default,
                new Keel.Models.Http.AdaptiveConcurrencyLimiter(1, 8), null, null, new SocketsHttpHandler()));
            await Measure("  HTTP alone", async () =>
            {
                using var response = await http.PostAsync(fake.OpenAiBaseUrl + "/chat/completions", new ByteArrayContent(bodies[next++ % bodies.Count]));
                return await response.Content.ReadAsByteArrayAsync();
            });
            using var raw = new HttpClient(new SocketsHttpHandler());
            await Measure("  HTTP alone, no resilience handler", async () =>
            {
                using var response = await raw.PostAsync(fake.OpenAiBaseUrl + "/chat/completions", new ByteArrayContent(bodies[next++ % bodies.Count]));
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
            Console.WriteLine($"{name,-40} {us,10:0.0} {bytes / 1024.0 / ops,12:0.0}");
        }
    }

    /// <summary>One condition's first call and its single-turn sample, prepared once.</summary>
    private sealed record Case(Condition Condition, Transcript Transcript, SampleResult Result, IReadOnlyList<ChatMessage> Messages, ChatOptions Options);

    /// <summary>
    /// The model's client stack as <see cref="ModelFactory"/> builds it for an OpenAI-compatible endpoint, over a handler that
    /// answers every request in memory with the fake's default reply (after reading the body, as a socket would): the CPU and
    /// allocation of M.E.AI, the OpenAI SDK and (optionally) the resilience handler, without the network.
    /// </summary>
    private static IChatClient NoSocketClient(string baseUrl, bool resilience)
    {
        HttpMessageHandler handler = new InMemoryReplyHandler();
        if (resilience)
        {
            handler = new Keel.Models.Http.ResilienceHandler(Keel.Models.Http.ResilienceOptions.Default, new Keel.Models.Http.AdaptiveConcurrencyLimiter(1, 8), null, null, handler);
        }

        return ModelFactory.OpenAiClient("fake", "none", baseUrl, new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan });
    }

    /// <summary>An Anthropic Messages reply like the fake provider's default.</summary>
    private static readonly byte[] AnthropicReply = System.Text.Encoding.UTF8.GetBytes(
        """{"id":"msg_fake","type":"message","role":"assistant","model":"fake","content":[{"type":"text","text":"OK"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":100,"output_tokens":20,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}""");

    /// <summary>Reads the request body and answers with a fixed reply (default: the fake provider's default chat completion).</summary>
    private sealed class InMemoryReplyHandler(byte[]? reply = null) : HttpMessageHandler
    {
        private static readonly byte[] OpenAiReply = System.Text.Encoding.UTF8.GetBytes(
            """{"id":"chatcmpl-fake","object":"chat.completion","created":1700000000,"model":"fake","choices":[{"index":0,"message":{"role":"assistant","content":"OK"},"finish_reason":"stop"}],"usage":{"prompt_tokens":100,"completion_tokens":20,"total_tokens":120,"prompt_tokens_details":{"cached_tokens":0}}}""");

        private readonly byte[] _reply = reply ?? OpenAiReply;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is { } content) await content.CopyToAsync(Stream.Null, cancellationToken);
            var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent(_reply), RequestMessage = request };
            response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return response;
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
        public static async Task<byte[]> RequestBodyAsync(string baseUrl, IReadOnlyList<ChatMessage> messages, ChatOptions options)
        {
            var catcher = new BodyCatcher();
            var openAi = ModelFactory.OpenAiClient("fake", "none", baseUrl, new HttpClient(catcher));
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

        /// <summary>The messages of the first call.</summary>
        public IReadOnlyList<ChatMessage>? Messages { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Messages ??= messages.ToList();
            Options ??= options;
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
