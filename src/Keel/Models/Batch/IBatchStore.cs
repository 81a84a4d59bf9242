namespace Keel.Models.Batch;

/// <summary>A request's place in a provider batch, as stored so a restarted process can pick it up.</summary>
/// <param name="Key">The request's identity: hash of sample scope and body.</param>
/// <param name="BatchId">The provider's batch id.</param>
/// <param name="CustomId">The request's id inside the batch.</param>
/// <param name="ResponseBody">The result body once the batch ended successfully for this request; null while pending.</param>
public sealed record BatchedRequest(string Key, string BatchId, string CustomId, string? ResponseBody);

/// <summary>Durable record of submitted batches (the run store implements it).</summary>
public interface IBatchStore
{
    /// <summary>Records a submitted batch and its requests.</summary>
    ValueTask AddBatchAsync(string model, string batchId, IReadOnlyList<(string Key, string CustomId)> requests, CancellationToken cancellationToken);

    /// <summary>What is known about a request, or null.</summary>
    ValueTask<BatchedRequest?> FindAsync(string model, string key, CancellationToken cancellationToken);

    /// <summary>Records the outcome of an ended batch: bodies of succeeded requests; failed ones are forgotten so they are sent again.</summary>
    ValueTask CompleteBatchAsync(string batchId, IReadOnlyDictionary<string, string?> bodiesByCustomId, CancellationToken cancellationToken);
}
