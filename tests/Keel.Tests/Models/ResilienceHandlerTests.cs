using System.Net;
using Keel.Models.Http;
using Xunit;

namespace Keel.Tests.Models;

/// <summary>The HTTP resilience layer against a scripted inner handler (no network).</summary>
public class ResilienceHandlerTests
{
    private static readonly ResilienceOptions Fast = new(TimeSpan.FromMilliseconds(300), MaxRetries: 4, BaseDelay: TimeSpan.FromMilliseconds(5),
        MaxDelay: TimeSpan.FromMilliseconds(200), BreakDuration: TimeSpan.FromMilliseconds(500));

    private sealed class Scripted(params Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>[] steps) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => _calls;

        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var i = Interlocked.Increment(ref _calls) - 1;
            Bodies.Add(request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken));
            return await steps[Math.Min(i, steps.Length - 1)](request, cancellationToken);
        }
    }

    private static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Status(HttpStatusCode code, TimeSpan? retryAfter = null) =>
        (_, _) =>
        {
            var r = new HttpResponseMessage(code) { Content = new StringContent("{}") };
            if (retryAfter is { } wait) r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
            return Task.FromResult(r);
        };

    private static (HttpClient Client, AdaptiveConcurrencyLimiter Limiter) Client(Scripted inner, ResilienceOptions? options = null)
    {
        var limiter = new AdaptiveConcurrencyLimiter(1, 16);
        return (new HttpClient(new ResilienceHandler(options ?? Fast, limiter, null, null, inner)), limiter);
    }

    private static Task<HttpResponseMessage> Post(HttpClient client) =>
        client.PostAsync("http://fake.invalid/v1/chat", new StringContent("""{"hello":"world"}"""), TestContext.Current.CancellationToken);

    [Fact]
    public async Task Rate_limits_and_server_errors_are_retried_with_the_same_body_until_success()
    {
        var inner = new Scripted(Status(HttpStatusCode.TooManyRequests, TimeSpan.FromMilliseconds(10)), Status(HttpStatusCode.InternalServerError),
            Status((HttpStatusCode)529), Status(HttpStatusCode.OK));
        var (client, limiter) = Client(inner);

        using var response = await Post(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, inner.Calls);
        Assert.All(inner.Bodies, b => Assert.Equal("""{"hello":"world"}""", b));
        Assert.True(limiter.Limit < 16, "an overload signal lowers the concurrency limit");
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        var inner = new Scripted(Status(HttpStatusCode.BadRequest));
        var (client, _) = Client(inner);

        using var response = await Post(client);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task With_no_retries_configured_a_server_error_is_returned_after_one_attempt()
    {
        var inner = new Scripted(Status(HttpStatusCode.InternalServerError), Status(HttpStatusCode.OK));
        var (client, _) = Client(inner, Fast with { MaxRetries = 0 });

        using var response = await Post(client);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task Retry_after_is_honoured()
    {
        var inner = new Scripted(Status(HttpStatusCode.TooManyRequests, TimeSpan.FromMilliseconds(150)), Status(HttpStatusCode.OK));
        var (client, _) = Client(inner, Fast with { BaseDelay = TimeSpan.FromMilliseconds(1) });
        var started = System.Diagnostics.Stopwatch.StartNew();

        using var response = await Post(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(140), $"waited only {started.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_hung_request_times_out_per_attempt_and_then_succeeds_on_retry()
    {
        var inner = new Scripted(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromMinutes(5), ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }, Status(HttpStatusCode.OK));
        var (client, _) = Client(inner);

        using var response = await Post(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task When_every_attempt_fails_the_last_failure_surfaces_with_its_reason()
    {
        var inner = new Scripted((_, _) => throw new HttpRequestException("connection reset by peer"));
        var (client, _) = Client(inner);

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => Post(client));

        Assert.True(ex is HttpRequestException or Polly.CircuitBreaker.BrokenCircuitException, ex.GetType().Name);
        Assert.Equal(1 + Fast.MaxRetries, inner.Calls);
    }

    private static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Json(string body, string mediaType = "application/json") =>
        (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, System.Text.Encoding.UTF8, mediaType) });

    [Theory]
    [InlineData("""{"id":"x","choices":[""")] // cut short
    [InlineData("""{"id":"x",}""")]
    [InlineData("")]
    public async Task A_success_whose_json_does_not_parse_is_retried(string garbage)
    {
        var inner = new Scripted(Json(garbage), Json("""{"id":"x"}"""));
        var (client, _) = Client(inner);

        using var response = await Post(client);

        Assert.Equal(2, inner.Calls);
        Assert.Equal("""{"id":"x"}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task When_every_reply_is_malformed_the_failure_says_so()
    {
        var inner = new Scripted(Json("""{"id":"x",}"""));
        var (client, _) = Client(inner, Fast with { MaxRetries = 1 });

        var ex = await Assert.ThrowsAsync<MalformedResponseException>(() => Post(client));

        Assert.Equal(2, inner.Calls);
        Assert.StartsWith("the provider answered 200 with a body that is not valid JSON (", ex.Message);
        Assert.EndsWith(", at byte 10 of 11)", ex.Message);
    }

    [Theory]
    [InlineData("{\"a\":1}\n{\"b\":2}\n", "application/json")] // JSON Lines (batch results)
    [InlineData("not json at all", "text/plain")]
    [InlineData("not json at all", "application/octet-stream")]
    [InlineData("[1, 2]", "application/problem+json")]
    public async Task Well_formed_json_and_bodies_that_are_not_json_pass_through(string body, string mediaType)
    {
        var inner = new Scripted(Json(body, mediaType));
        var (client, _) = Client(inner);

        using var response = await Post(client);

        Assert.Equal(1, inner.Calls);
        Assert.Equal(body, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Requests_per_minute_are_spread_out_client_side()
    {
        var inner = new Scripted(Status(HttpStatusCode.OK));
        var limiter = new AdaptiveConcurrencyLimiter(1, 64);
        using var client = new HttpClient(new ResilienceHandler(Fast, limiter, requestsPerMinute: 600, tokensPerMinute: null, inner));
        var started = System.Diagnostics.Stopwatch.StartNew();

        // 600/min = 10 per second with a burst of 10: 25 requests need at least 1.5 s of refills.
        await Task.WhenAll(Enumerable.Range(0, 25).Select(async _ => (await Post(client)).Dispose()));

        Assert.True(started.Elapsed >= TimeSpan.FromSeconds(1), $"25 requests took {started.Elapsed.TotalMilliseconds} ms");
        Assert.Equal(25, inner.Calls);
    }
}
