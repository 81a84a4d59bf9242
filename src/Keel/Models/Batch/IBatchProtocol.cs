namespace Keel.Models.Batch;

/// <summary>The state of a submitted batch.</summary>
/// <param name="Ended">True once the provider finished processing it.</param>
/// <param name="Results">When ended: each custom id's response body, or null when that request failed.</param>
public sealed record BatchPoll(bool Ended, IReadOnlyDictionary<string, string?>? Results);

/// <summary>One provider's batch API, spoken over plain HTTP with the headers of the intercepted requests.</summary>
public interface IBatchProtocol
{
    /// <summary>True for the message requests this protocol batches.</summary>
    bool IsBatchable(HttpRequestMessage request);

    /// <summary>Submits requests (custom id, body) and returns the batch id.</summary>
    Task<string> SubmitAsync(BatchTransport transport, IReadOnlyList<(string CustomId, string Body)> requests, CancellationToken cancellationToken);

    /// <summary>Checks a batch; when it has ended, fetches its results.</summary>
    Task<BatchPoll> PollAsync(BatchTransport transport, string batchId, CancellationToken cancellationToken);
}

/// <summary>Sends the batch API's own requests: to the API base of the intercepted requests, with their auth headers.</summary>
public sealed class BatchTransport(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, Uri apiBase,
    IReadOnlyList<KeyValuePair<string, IEnumerable<string>>> headers)
{
    /// <summary>The API base, e.g. <c>https://api.anthropic.com/v1/</c>.</summary>
    public Uri ApiBase { get; } = apiBase;

    /// <summary>Sends a request relative to the API base and returns the body, throwing on a non-success status.</summary>
    public async Task<string> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, Uri.TryCreate(path, UriKind.Absolute, out var absolute) ? absolute : new Uri(ApiBase, path)) { Content = content };
        foreach (var (name, values) in headers) request.Headers.TryAddWithoutValidation(name, values);
        using var response = await send(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"batch API {method} {path}: HTTP {(int)response.StatusCode}: {Truncate(body)}", null, response.StatusCode);
        }

        return body;
    }

    private static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "…";
}
