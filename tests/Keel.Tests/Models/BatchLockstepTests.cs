using System.Collections.Concurrent;
using System.Net.Http;
using System.Text;
using Keel.Models.Batch;
using Xunit;

namespace Keel.Tests.Models;

/// <summary>
/// When <see cref="BatchingHandler"/> sends a turn: as soon as every running sample waits, however far apart their
/// requests arrive; a sample that ends releases the others; without marked samples, after a quiet flush delay.
/// </summary>
public class BatchLockstepTests
{
    /// <summary>A batch API that records each submitted batch and ends it at the first poll, answering each request with its body.</summary>
    private sealed class RecordingProtocol : IBatchProtocol
    {
        private readonly ConcurrentDictionary<string, IReadOnlyList<(string CustomId, string Body)>> _batches = new();

        public ConcurrentQueue<int> Sizes { get; } = new();

        public bool IsBatchable(HttpRequestMessage request) => true;

        public Task<string> SubmitAsync(BatchTransport transport, IReadOnlyList<(string CustomId, string Body)> requests, CancellationToken cancellationToken)
        {
            var id = $"batch-{Sizes.Count + 1}";
            _batches[id] = requests;
            Sizes.Enqueue(requests.Count);
            return Task.FromResult(id);
        }

        public Task<BatchPoll> PollAsync(BatchTransport transport, string batchId, CancellationToken cancellationToken) =>
            Task.FromResult(new BatchPoll(true, _batches[batchId].ToDictionary(r => r.CustomId, r => (string?)r.Body)));
    }

    private sealed class NoBatchesYet : IBatchStore
    {
        public ValueTask AddBatchAsync(string model, string batchId, IReadOnlyList<(string Key, string CustomId)> requests, CancellationToken cancellationToken) => default;

        public ValueTask<BatchedRequest?> FindAsync(string model, string key, CancellationToken cancellationToken) => ValueTask.FromResult<BatchedRequest?>(null);

        public ValueTask CompleteBatchAsync(string batchId, IReadOnlyDictionary<string, string?> bodiesByCustomId, CancellationToken cancellationToken) => default;
    }

    private sealed class NeverCalled : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("batched requests must not reach the direct endpoint");
    }

    private static (BatchingHandler Handler, HttpMessageInvoker Http, RecordingProtocol Protocol) Batching(TimeSpan flushDelay, TimeSpan stragglers)
    {
        var protocol = new RecordingProtocol();
        var handler = new BatchingHandler(protocol, new NoBatchesYet(), "openai/m", new BatchOptions(TimeSpan.FromMilliseconds(10), flushDelay, StragglerDelay: stragglers), new NeverCalled());
        return (handler, new HttpMessageInvoker(handler), protocol);
    }

    private static async Task<string> AskAsync(HttpMessageInvoker http, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://model.invalid/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Requests_arriving_far_apart_go_out_as_one_batch_once_every_running_sample_has_asked()
    {
        var (handler, http, protocol) = Batching(TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(60));
        using var a = handler.BeginSample();
        using var b = handler.BeginSample();
        using var c = handler.BeginSample();

        var first = AskAsync(http, "{\"n\":1}");
        await Task.Delay(300, TestContext.Current.CancellationToken); // 15 quiet flush delays: a quiet-time rule alone would send it alone
        var second = AskAsync(http, "{\"n\":2}");
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Empty(protocol.Sizes);
        var third = AskAsync(http, "{\"n\":3}");

        Assert.Equal(["{\"n\":1}", "{\"n\":2}", "{\"n\":3}"], await Task.WhenAll(first, second, third));
        Assert.Equal([3], protocol.Sizes);
    }

    [Fact]
    public async Task A_sample_that_ends_without_another_turn_releases_the_turn_of_the_others()
    {
        var (handler, http, protocol) = Batching(TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(60));
        using var asking = handler.BeginSample();
        var done = handler.BeginSample();

        var answer = AskAsync(http, "{\"n\":1}");
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Empty(protocol.Sizes); // the other sample may still ask
        done.Dispose();

        Assert.Equal("{\"n\":1}", await answer.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal([1], protocol.Sizes);
    }

    [Fact]
    public async Task A_straggler_holds_the_turn_back_no_longer_than_the_straggler_delay()
    {
        var (handler, http, protocol) = Batching(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(400));
        using var asking = handler.BeginSample();
        using var straggler = handler.BeginSample();

        Assert.Equal("{\"n\":1}", await AskAsync(http, "{\"n\":1}").WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal([1], protocol.Sizes);
    }

    [Fact]
    public async Task Without_marked_samples_requests_go_out_after_a_quiet_flush_delay()
    {
        var (_, http, protocol) = Batching(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(60));

        var answers = await Task.WhenAll(AskAsync(http, "{\"n\":1}"), AskAsync(http, "{\"n\":2}")).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(["{\"n\":1}", "{\"n\":2}"], answers);
        Assert.Equal([2], protocol.Sizes);
    }
}
