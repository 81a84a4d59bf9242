using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Keel.Models.Batch;

/// <summary>The OpenAI Batch API: upload a JSONL file, create a batch, poll it, download the output file.</summary>
public sealed class OpenAiBatchProtocol : IBatchProtocol
{
    private const string Endpoint = "/v1/chat/completions";

    /// <inheritdoc />
    public bool IsBatchable(HttpRequestMessage request) =>
        request.Method == HttpMethod.Post && request.RequestUri?.AbsolutePath.EndsWith("/chat/completions", StringComparison.Ordinal) == true;

    /// <inheritdoc />
    public async Task<string> SubmitAsync(BatchTransport transport, IReadOnlyList<(string CustomId, string Body)> requests, CancellationToken cancellationToken)
    {
        var jsonl = new StringBuilder();
        foreach (var (customId, body) in requests)
        {
            jsonl.Append(new JsonObject { ["custom_id"] = customId, ["method"] = "POST", ["url"] = Endpoint, ["body"] = JsonNode.Parse(body) }.ToJsonString()).Append('\n');
        }

        using var form = new MultipartFormDataContent { { new StringContent("batch"), "purpose" } };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(jsonl.ToString()));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/jsonl");
        form.Add(file, "file", "keel-batch.jsonl");
        var uploaded = JsonNode.Parse(await transport.SendAsync(HttpMethod.Post, "files", form, cancellationToken).ConfigureAwait(false))!;
        var fileId = uploaded["id"]!.GetValue<string>();

        var create = new JsonObject { ["input_file_id"] = fileId, ["endpoint"] = Endpoint, ["completion_window"] = "24h" };
        var batch = JsonNode.Parse(await transport.SendAsync(HttpMethod.Post, "batches", new StringContent(create.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken)
            .ConfigureAwait(false))!;
        return batch["id"]?.GetValue<string>() ?? throw new InvalidDataException("batch create returned no id");
    }

    /// <inheritdoc />
    public async Task<BatchPoll> PollAsync(BatchTransport transport, string batchId, CancellationToken cancellationToken)
    {
        var status = JsonNode.Parse(await transport.SendAsync(HttpMethod.Get, $"batches/{batchId}", null, cancellationToken).ConfigureAwait(false))!;
        var state = status["status"]?.GetValue<string>();
        if (state is not ("completed" or "failed" or "expired" or "cancelled")) return new BatchPoll(false, null);

        var results = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (status["output_file_id"]?.GetValue<string>() is { } outputId)
        {
            var lines = await transport.SendAsync(HttpMethod.Get, $"files/{outputId}/content", null, cancellationToken).ConfigureAwait(false);
            foreach (var line in lines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var item = JsonNode.Parse(line)!;
                var response = item["response"];
                results[item["custom_id"]!.GetValue<string>()] = response?["status_code"]?.GetValue<int>() == 200 ? response["body"]!.ToJsonString() : null;
            }
        }

        return new BatchPoll(true, results);
    }
}
