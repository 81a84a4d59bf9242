using System.Threading.RateLimiting;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Keel.Models.Http;

/// <summary>
/// The HTTP layer under every provider SDK: jittered exponential retries (honouring Retry-After),
/// a circuit breaker that pauses this model only, a per-attempt timeout, client-side request and
/// token rate limits, and adaptive concurrency. The SDKs' own retries are turned off, so this is
/// the one place that decides.
/// </summary>
public sealed class ResilienceHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ResilienceOptions _options;
    private readonly Bucket? _requests;
    private readonly Bucket? _tokens;

    /// <summary>Creates the handler for one endpoint.</summary>
    public ResilienceHandler(ResilienceOptions options, AdaptiveConcurrencyLimiter limiter, int? requestsPerMinute, int? tokensPerMinute,
        HttpMessageHandler inner)
        : base(inner)
    {
        _options = options;
        Limiter = limiter;
        _requests = requestsPerMinute is { } rpm ? PerSecondBucket(rpm) : null;
        _tokens = tokensPerMinute is { } tpm ? PerSecondBucket(tpm) : null;
        // Polly's retry needs at least one attempt: with no retries configured (retries: 0) the strategy is left out.
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: OperationCanceledException } => false,
                    { Exception: { } ex } => TransientFailures.IsRetryable(ex),
                    { Result: { } r } => TransientFailures.IsRetryable(r.StatusCode),
                    _ => false,
                }),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.FirstDelay,
                MaxDelay = options.LongestDelay,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: BrokenCircuitException { RetryAfter: { } wait } } => (TimeSpan?)wait,
                    { Result: { } r } => TransientFailures.RetryAfter(r, options.LongestDelay),
                    _ => null,
                }),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }

        _pipeline = builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: OperationCanceledException } => false,
                    { Exception: { } ex } => TransientFailures.IsRetryable(ex),
                    { Result: { } r } => TransientFailures.IsServerFault(r.StatusCode),
                    _ => false,
                }),
                FailureRatio = 0.5,
                MinimumThroughput = 20,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = options.Pause,
            })
            .Build();
    }

    /// <summary>This endpoint's adaptive concurrency.</summary>
    public AdaptiveConcurrencyLimiter Limiter { get; }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Buffer the body once so every attempt can send it again (a byte array already is one).
        if (request.Content is not (null or ByteArrayContent)) await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var estimatedTokens = (int)Math.Min(int.MaxValue, Math.Max(1, (request.Content?.Headers.ContentLength ?? 0) / 4));
        return await _pipeline.ExecuteAsync(async token =>
        {
            await AcquireAsync(_requests, 1, token).ConfigureAwait(false);
            await AcquireAsync(_tokens, estimatedTokens, token).ConfigureAwait(false);
            using var lease = await Limiter.AcquireAsync(token).ConfigureAwait(false);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(token);
            attempt.CancelAfter(_options.RequestTimeout);
            try
            {
                var response = await base.SendAsync(request, attempt.Token).ConfigureAwait(false);
                // Read the whole body inside the attempt: a hang mid-body times out and a cut body fails here, where it is retried.
                await response.Content.LoadIntoBufferAsync(attempt.Token).ConfigureAwait(false);
                // A success whose JSON does not parse is a corrupted reply: retried here, not failed by the SDK's parser.
                if (MalformedResponse.Problem(response) is { } problem)
                {
                    var status = response.StatusCode;
                    response.Dispose();
                    throw new MalformedResponseException(status, problem);
                }

                if (TransientFailures.IsOverload(response.StatusCode)) Limiter.OnOverload();
                else if (response.IsSuccessStatusCode) Limiter.OnSuccess();
                return response;
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                throw new TimeoutException($"no complete response within {_options.RequestTimeout.TotalSeconds:0.#} s (request timeout)");
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask AcquireAsync(Bucket? bucket, int permits, CancellationToken cancellationToken)
    {
        if (bucket is null) return;
        // A request larger than the bucket waits for a full bucket rather than failing.
        using var lease = await bucket.Limiter.AcquireAsync(Math.Min(permits, bucket.Size), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A token bucket that spreads a per-minute budget evenly: a sixtieth each second (bursting at most one
    /// second's worth), or one permit every 60/n seconds for budgets under one a second.
    /// </summary>
    private static Bucket PerSecondBucket(int perMinute)
    {
        var perSecond = perMinute / 60;
        var size = Math.Max(1, perSecond);
        return new Bucket(new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = size,
            TokensPerPeriod = size,
            ReplenishmentPeriod = perSecond >= 1 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / perMinute),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        }), size);
    }

    private sealed record Bucket(TokenBucketRateLimiter Limiter, int Size);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _requests?.Limiter.Dispose();
            _tokens?.Limiter.Dispose();
        }

        base.Dispose(disposing);
    }
}
