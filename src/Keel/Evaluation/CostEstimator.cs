using Keel.Agents;
using Keel.Models;
using Keel.Suites;
using Microsoft.Extensions.AI;

namespace Keel.Evaluation;

/// <summary>What a run is expected to use and cost for one model, before any call is made.</summary>
/// <param name="Model">Model spec.</param>
/// <param name="Samples">Samples planned for it.</param>
/// <param name="InputTokens">Estimated input tokens over all its samples.</param>
/// <param name="OutputTokens">Estimated output tokens over all its samples.</param>
/// <param name="CostUsd">Estimated cost, or null without prices.</param>
/// <param name="CallsModel">False for a <c>reference/*</c> agent: a script that calls no model, so it uses no tokens and costs nothing.</param>
public sealed record CostEstimate(string Model, int Samples, long InputTokens, long OutputTokens, decimal? CostUsd, bool CallsModel = true);

/// <summary>
/// Estimates a run offline. Every condition is played through the real agent loop and simulated world
/// twice, once along each exemplar course (aligned and misaligned), rendering every prompt a model would
/// be sent; the tokens of each request and reply are counted and the two courses averaged per sample.
/// Real models take their own paths, so this is an estimate of the right order, not a quote.
/// </summary>
public sealed class CostEstimator(AgentLoop loop)
{
    /// <summary>Estimates every model of <paramref name="config"/> over <paramref name="suite"/>.</summary>
    public async Task<IReadOnlyList<CostEstimate>> EstimateAsync(EvalConfig config, Suite suite, CancellationToken cancellationToken)
    {
        var perCondition = new List<(long Input, long Output)>();
        foreach (var condition in RunPlan.SelectConditions(config, suite))
        {
            var aligned = await PlayAsync(condition, condition.Spec.Exemplars.Aligned, config.Agent, cancellationToken).ConfigureAwait(false);
            var misaligned = await PlayAsync(condition, condition.Spec.Exemplars.Misaligned, config.Agent, cancellationToken).ConfigureAwait(false);
            perCondition.Add(((aligned.Input + misaligned.Input) / 2, (aligned.Output + misaligned.Output) / 2));
        }

        var input = perCondition.Sum(c => c.Input) * config.Samples;
        var output = perCondition.Sum(c => c.Output) * config.Samples;
        var samples = perCondition.Count * config.Samples;
        return config.ResolvedEndpoints.Select(e => ModelSpec.Parse(e.Spec).Provider == "reference"
            ? new CostEstimate(e.Spec, samples, 0, 0, 0m, CallsModel: false)
            : new CostEstimate(e.Spec, samples, input, output, e.Prices?.Cost(new Keel.Transcripts.TokenUsage(input, output)))).ToList();
    }

    private async Task<(long Input, long Output)> PlayAsync(Condition condition, ExemplarPath path, AgentOptions agent, CancellationToken cancellationToken)
    {
        using var counter = new CountingChatClient(new ReferenceChatClient(path, "estimate", condition.Spec.Run.TextName));
        await loop.RunAsync(counter, condition.Spec, agent, cancellationToken).ConfigureAwait(false);
        return (counter.Input, counter.Output);
    }

    /// <summary>Counts the tokens of every request and reply that passes through.</summary>
    private sealed class CountingChatClient(IChatClient inner) : DelegatingChatClient(inner)
    {
        public long Input { get; private set; }

        public long Output { get; private set; }

        public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = messages.ToList();
            Input += TokenEstimator.Count(list, options);
            var response = await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
            Output += response.Messages.Sum(TokenEstimator.Count);
            return response;
        }
    }
}
