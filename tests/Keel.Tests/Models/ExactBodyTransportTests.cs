using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using Keel.Models;
using Keel.Models.Http;
using Microsoft.Extensions.AI;
using OpenAI;
using Xunit;

namespace Keel.Tests.Models;

public class ExactBodyTransportTests
{
    private const string Reply =
        """{"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"OK"},"finish_reason":"stop"}]}""";

    private static readonly List<ChatMessage> Messages = [new(ChatRole.System, "You are Atlas."), new(ChatRole.User, "Process the inbox, " + new string('x', 20_000))];

    [Fact]
    public async Task The_body_goes_out_as_one_exact_byte_array_with_the_headers_the_SDK_set()
    {
        var plain = new Recorder();
        await Client(new HttpClientPipelineTransport(new HttpClient(plain))).GetResponseAsync(Messages, cancellationToken: TestContext.Current.CancellationToken);
        var exact = new Recorder();
        await Client(new ExactBodyTransport(new HttpClient(exact))).GetResponseAsync(Messages, cancellationToken: TestContext.Current.CancellationToken);

        var sent = Assert.Single(exact.Requests);
        var expected = Assert.Single(plain.Requests);
        Assert.Equal("ByteArrayContent", sent.ContentType);
        Assert.Equal(expected.Body, sent.Body);
        Assert.Equal(sent.Body.Length, sent.ContentLength);
        Assert.Equal(expected.ContentHeaders, sent.ContentHeaders);
        Assert.Contains("Content-Type: application/json", sent.ContentHeaders);
    }

    [Fact]
    public async Task A_retried_call_sends_the_same_body_again()
    {
        var server = new Recorder { Failures = 2 };
        var resilient = new ResilienceHandler(new ResilienceOptions(TimeSpan.FromSeconds(10), 3, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5)),
            new AdaptiveConcurrencyLimiter(1, 4), null, null, server);

        var response = await ModelFactory.OpenAiClient("m", "none", "http://127.0.0.1:9/v1", new HttpClient(resilient)).GetResponseAsync(Messages, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("OK", response.Text);
        Assert.Equal(3, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal(server.Requests[0].Body, r.Body));
        Assert.Contains("Process the inbox", Encoding.UTF8.GetString(server.Requests[0].Body));
    }

    private static IChatClient Client(PipelineTransport transport) => new OpenAIClient(new ApiKeyCredential("none"), new OpenAIClientOptions
    {
        Endpoint = new Uri("http://127.0.0.1:9/v1"),
        Transport = transport,
        RetryPolicy = new ClientRetryPolicy(0),
    }).GetChatClient("m").AsIChatClient();

    private sealed record Sent(string ContentType, byte[] Body, long? ContentLength, string ContentHeaders);

    /// <summary>Records each request (after the body is read, so Content-Length is known) and answers OK, or 500 for the first <see cref="Failures"/>.</summary>
    private sealed class Recorder : HttpMessageHandler
    {
        public List<Sent> Requests { get; } = [];

        public int Failures { get; init; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            var headers = string.Join("\n", request.Content.Headers.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key}: {string.Join(",", h.Value)}"));
            Requests.Add(new Sent(request.Content.GetType().Name, body, request.Content.Headers.ContentLength, headers));
            return Requests.Count <= Failures
                ? new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("{}") }
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Reply, Encoding.UTF8, "application/json") };
        }
    }
}
