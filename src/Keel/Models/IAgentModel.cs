using Keel.Suites;
using Microsoft.Extensions.AI;

namespace Keel.Models;

/// <summary>Which sample a model client is being asked to act in.</summary>
/// <param name="Seed">The run seed.</param>
/// <param name="Condition">The condition being run.</param>
/// <param name="Epoch">The repeat number, from 1.</param>
/// <param name="RunId">The run the sample belongs to (batch requests are kept per run).</param>
public sealed record SampleContext(long Seed, Condition Condition, int Epoch, string RunId = "");

/// <summary>A model under evaluation: hands out the chat client that acts in a given sample.</summary>
public interface IAgentModel : IDisposable
{
    /// <summary>The spec it was created from, as stored with results.</summary>
    string Spec { get; }

    /// <summary>True for known-behaviour reference agents, which are not models.</summary>
    bool IsReference { get; }

    /// <summary>The client for one sample (real models share one client; reference agents get one per sample).</summary>
    IChatClient ClientFor(SampleContext sample);
}

/// <summary>A provider model: one shared <see cref="IChatClient"/> pipeline (and HTTP stack) for every sample.</summary>
/// <remarks>In batch mode (<paramref name="batching"/>), each call carries its sample's identity and the running samples are tracked.</remarks>
public sealed class ProviderModel(string spec, IChatClient client, HttpClient? http = null, Keel.Models.Http.AdaptiveConcurrencyLimiter? limiter = null,
    IResponseCache? cache = null, Keel.Models.Batch.BatchingHandler? batching = null, ModelDefaults? defaults = null) : IAgentModel, ISampleLifetime
{
    private readonly bool scoped = batching is not null;

    /// <summary>The endpoint's adaptive concurrency, when it has one.</summary>
    public Keel.Models.Http.AdaptiveConcurrencyLimiter? Limiter { get; } = limiter;

    /// <inheritdoc />
    public string Spec { get; } = spec;

    /// <inheritdoc />
    public bool IsReference => false;

    /// <inheritdoc />
    public IChatClient ClientFor(SampleContext sample) =>
        Client(scoped ? Keel.Models.Batch.SampleScope.Wrap(client, $"{sample.RunId}|{sample.Condition.Id}|{sample.Epoch}") : client, sample.Condition.Id, sample.Epoch);

    /// <summary>
    /// A client whose response-cache entries are keyed to <paramref name="scope"/> and <paramref name="draw"/> in place of
    /// a sample's condition and epoch: the LLM judge's calls, keyed to what is judged and the draw index.
    /// </summary>
    public IChatClient ClientFor(string scope, int draw) => Client(client, scope, draw);

    private IChatClient Client(IChatClient inner, string scope, int epoch)
    {
        var cached = cache is null ? inner : new ResponseCacheChatClient(inner, cache, Spec, scope, epoch);
        // Defaults are applied outside the cache, so they are part of its key: a new temperature is a new draw.
        return defaults is null ? cached : new ConfigureOptionsChatClient(cached, options => ModelFactory.ApplyDefaults(options, defaults));
    }

    /// <inheritdoc />
    public IDisposable? BeginSample() => batching?.BeginSample();

    /// <inheritdoc />
    public void Dispose()
    {
        client.Dispose();
        http?.Dispose();
    }
}
