using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Keel.Fakes;

/// <summary>
/// The batch APIs: Anthropic Message Batches (<c>/v1/messages/batches</c>) and the OpenAI Batch API
/// (<c>/v1/files</c>, <c>/v1/batches</c>). A batch ends after <see cref="BatchPollsToEnd"/> status checks;
/// its results are the scripted replies to each request, exactly as the direct endpoints would answer.
/// </summary>
public sealed partial class FakeProviderServer
{
    private readonly ConcurrentDictionary<string, FakeBatch> _batches = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _files = new(StringComparer.Ordinal);
    private int _batchCounter;
    private int _batchesCreated;
    private int _batchPolls;

    private sealed class FakeBatch(string id, FakeProtocol protocol, List<(string CustomId, JsonNode Body)> requests)
    {
        public string Id { get; } = id;

        public FakeProtocol Protocol { get; } = protocol;

        public List<(string CustomId, JsonNode Body)> Requests { get; } = requests;

        public int Polls;

        public string? Results;
    }

    /// <summary>Status checks a batch takes to end: with 1 the first check sees it ended, with 3 the third; 0 ends it at once.</summary>
    public int BatchPollsToEnd { get; set; } = 1;

    /// <summary>Batches created so far.</summary>
    public int BatchesCreated => Volatile.Read(ref _batchesCreated);

    /// <summary>Batch status checks so far.</summary>
    public int BatchPolls => Volatile.Read(ref _batchPolls);

    /// <summary>Requests per created batch, in creation order.</summary>
    public IReadOnlyList<int> BatchSizes => _batches.Values.OrderBy(b => b.Id, StringComparer.Ordinal).Select(b => b.Requests.Count).ToList();

    private async Task<bool> TryServeBatchApiAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        var post = HttpMethods.IsPost(http.Request.Method);
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (post, parts)
        {
            case (true, ["v1", "messages", "batches"]):
                var create = (await JsonNode.ParseAsync(http.Request.Body))!;
                var requests = create["requests"]!.AsArray().Select(r => (r!["custom_id"]!.GetValue<string>(), r["params"]!.DeepClone())).ToList();
                var batch = NewBatch("msgbatch", FakeProtocol.Anthropic, requests);
                await Json(http, AnthropicStatus(batch));
                return true;
            case (false, ["v1", "messages", "batches", var id]):
                await Json(http, AnthropicStatus(Poll(id)));
                return true;
            case (false, ["v1", "messages", "batches", var id, "results"]):
                await Text(http, Results(_batches[id]));
                return true;
            case (true, ["v1", "files"]):
                var form = await http.Request.ReadFormAsync();
                using (var reader = new StreamReader(form.Files["file"]!.OpenReadStream()))
                {
                    var fileId = $"file-{Interlocked.Increment(ref _batchCounter)}";
                    _files[fileId] = await reader.ReadToEndAsync();
                    await Json(http, new JsonObject { ["id"] = fileId, ["object"] = "file", ["purpose"] = form["purpose"].ToString() });
                }

                return true;
            case (true, ["v1", "batches"]):
                var openAiCreate = (await JsonNode.ParseAsync(http.Request.Body))!;
                var lines = _files[openAiCreate["input_file_id"]!.GetValue<string>()].Split('\n', StringSplitOptions.RemoveEmptyEntries);
                var openAiBatch = NewBatch("batch", FakeProtocol.OpenAi,
                    lines.Select(l => JsonNode.Parse(l)!).Select(n => (n["custom_id"]!.GetValue<string>(), n["body"]!.DeepClone())).ToList());
                await Json(http, OpenAiStatus(openAiBatch));
                return true;
            case (false, ["v1", "batches", var id]):
                await Json(http, OpenAiStatus(Poll(id)));
                return true;
            case (false, ["v1", "files", var id, "content"]):
                await Text(http, Results(_batches[id["file-out-".Length..]]));
                return true;
            default:
                return false;
        }
    }

    private FakeBatch NewBatch(string prefix, FakeProtocol protocol, List<(string, JsonNode)> requests)
    {
        var batch = new FakeBatch($"{prefix}_{Interlocked.Increment(ref _batchCounter)}", protocol, requests);
        _batches[batch.Id] = batch;
        Interlocked.Increment(ref _batchesCreated);
        return batch;
    }

    private FakeBatch Poll(string id)
    {
        var batch = _batches[id];
        Interlocked.Increment(ref _batchPolls);
        Interlocked.Increment(ref batch.Polls);
        return batch;
    }

    private bool Ended(FakeBatch batch) => Volatile.Read(ref batch.Polls) >= BatchPollsToEnd;

    private JsonObject AnthropicStatus(FakeBatch batch) => new()
    {
        ["id"] = batch.Id,
        ["type"] = "message_batch",
        ["processing_status"] = Ended(batch) ? "ended" : "in_progress",
        ["results_url"] = Ended(batch) ? $"{BaseUrl}/v1/messages/batches/{batch.Id}/results" : null,
    };

    private JsonObject OpenAiStatus(FakeBatch batch) => new()
    {
        ["id"] = batch.Id,
        ["object"] = "batch",
        ["status"] = Ended(batch) ? "completed" : "in_progress",
        ["output_file_id"] = Ended(batch) ? $"file-out-{batch.Id}" : null,
    };

    private string Results(FakeBatch batch)
    {
        lock (batch)
        {
            if (batch.Results is not null) return batch.Results;
            var endpoint = batch.Protocol == FakeProtocol.Anthropic ? (ProviderEndpoint)_anthropic : _openAi;
            var text = new StringBuilder();
            foreach (var (customId, body) in batch.Requests)
            {
                var reply = JsonNode.Parse(endpoint.Reply(body).Span)!;
                JsonNode line = batch.Protocol == FakeProtocol.Anthropic
                    ? new JsonObject { ["custom_id"] = customId, ["result"] = new JsonObject { ["type"] = "succeeded", ["message"] = reply } }
                    : new JsonObject
                    {
                        ["id"] = $"req_{customId}",
                        ["custom_id"] = customId,
                        ["response"] = new JsonObject { ["status_code"] = 200, ["request_id"] = customId, ["body"] = reply },
                        ["error"] = null,
                    };
                text.Append(line.ToJsonString()).Append('\n');
            }

            return batch.Results = text.ToString();
        }
    }

    private static Task Json(HttpContext http, JsonNode node)
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(node.ToJsonString());
    }

    private static Task Text(HttpContext http, string text)
    {
        http.Response.ContentType = "application/jsonl";
        return http.Response.WriteAsync(text);
    }
}
