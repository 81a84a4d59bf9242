using System.Text;
using System.Text.Json.Nodes;

namespace Keel.Models.Batch;

/// <summary>Anthropic Message Batches: <c>POST /v1/messages/batches</c>, poll the batch, read its JSONL results.</summary>
public sealed class AnthropicBatchProtocol : IBatchProtocol
{
    /// <inheritdoc />
    public bool IsBatchable(HttpRequestMessage request) =>
        request.Method == HttpMethod.Post && request.RequestUri?.AbsolutePath.EndsWith("/messages", StringComparison.Ordinal) == true;

    /// <inheritdoc />
    public async Task<string> SubmitAsync(BatchTransport transport, IReadOnlyList<(string CustomId, string Body)> requests, CancellationToken cancellationToken)
    {
        var payload = new JsonObject
        {
            ["requests"] = new JsonArray(requests.Select(r => (JsonNode)new JsonObject
            {
                ["custom_id"] = r.CustomId,
                ["params"] = JsonNode.Parse(r.Body),
            }).ToArray()),
        };
        var body = await transport.SendAsync(HttpMethod.Post, "messages/batches", new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken)
            .ConfigureAwait(false);
        return JsonNode.Parse(body)?["id"]?.GetValue<string>() ?? throw new InvalidDataException($"batch create returned no id: {body}");
    }

    /// <inheritdoc />
    public async Task<BatchPoll> PollAsync(BatchTransport transport, string batchId, CancellationToken cancellationToken)
    {
        var status = JsonNode.Parse(await transport.SendAsync(HttpMethod.Get, $"messages/batches/{batchId}", null, cancellationToken).ConfigureAwait(false))!;
        if (status["processing_status"]?.GetValue<string>() != "ended") return new BatchPoll(false, null);
        var resultsUrl = status["results_url"]?.GetValue<string>() ?? $"messages/batches/{batchId}/results";
        var lines = await transport.SendAsync(HttpMethod.Get, resultsUrl, null, cancellationToken).ConfigureAwait(false);
        var results = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var line in lines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var item = JsonNode.Parse(line)!;
            var id = item["custom_id"]!.GetValue<string>();
            results[id] = item["result"]?["type"]?.GetValue<string>() == "succeeded" ? item["result"]!["message"]!.ToJsonString() : null;
        }

        return new BatchPoll(true, results);
    }
}
