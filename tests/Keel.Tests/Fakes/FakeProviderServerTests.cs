using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Fakes;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Keel.Tests.Fakes;

/// <summary>The fault-injecting fake provider, through a plain HttpClient: each fault happens, at about its rate.</summary>
public class FakeProviderServerTests
{
    private const string Body = """{"model":"fake-model","messages":[{"role":"user","content":"hi"}]}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Url(FakeProviderServer server, FakeProtocol protocol) =>
        protocol == FakeProtocol.OpenAi ? server.OpenAiBaseUrl + "/chat/completions" : server.BaseUrl + "/v1/messages";

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string url) => PostWithAsync(client, url, Ct);

    private static Task<HttpResponseMessage> PostWithAsync(HttpClient client, string url, CancellationToken ct) =>
        client.PostAsync(url, new StringContent(Body, Encoding.UTF8, "application/json"), ct);

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

    [Theory]
    [InlineData(FakeProtocol.OpenAi)]
    [InlineData(FakeProtocol.Anthropic)]
    public async Task Each_fault_happens_at_about_its_configured_rate_and_the_counters_agree(FakeProtocol protocol)
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.Faults = new FaultPlan
        {
            Seed = 42,
            RateLimitProbability = 0.1,
            RetryAfterSeconds = 3,
            ServerErrorProbability = 0.1,
            OverloadedProbability = 0.1,
            MalformedJsonProbability = 0.1,
            TruncatedBodyProbability = 0.1,
        };
        using var client = new HttpClient();
        var seen = new ConcurrentBag<FakeOutcome>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 400), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (_, ct) =>
        {
            try
            {
                using var response = await PostWithAsync(client, Url(server, protocol), ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                seen.Add((int)response.StatusCode switch
                {
                    200 => Parses(text) ? FakeOutcome.Success : FakeOutcome.MalformedJson,
                    429 when response.Headers.RetryAfter?.Delta == TimeSpan.FromSeconds(3) => FakeOutcome.RateLimited,
                    500 => FakeOutcome.ServerError,
                    529 when protocol == FakeProtocol.Anthropic => FakeOutcome.Overloaded,
                    503 when protocol == FakeProtocol.OpenAi => FakeOutcome.Overloaded,
                    _ => FakeOutcome.BadRequest, // unexpected
                });
            }
            catch (HttpRequestException)
            {
                seen.Add(FakeOutcome.TruncatedBody);
            }
        });

        var counts = seen.GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
        Assert.False(counts.ContainsKey(FakeOutcome.BadRequest), "a response matched no fault");
        foreach (var fault in new[] { FakeOutcome.RateLimited, FakeOutcome.ServerError, FakeOutcome.Overloaded, FakeOutcome.MalformedJson, FakeOutcome.TruncatedBody })
        {
            Assert.InRange(counts.GetValueOrDefault(fault), 20, 60);
            Assert.Equal(counts.GetValueOrDefault(fault), server.Counters[fault]);
        }

        Assert.InRange(counts[FakeOutcome.Success], 160, 240);
        Assert.Equal(counts[FakeOutcome.Success], server.Counters.Successes);
        Assert.Equal(400, server.Counters.Requests);
    }

    [Theory]
    [InlineData(FakeProtocol.OpenAi, "rate_limit_exceeded")]
    [InlineData(FakeProtocol.Anthropic, "rate_limit_error")]
    public async Task A_drawn_429_carries_the_configured_retry_after_and_a_provider_shaped_error(FakeProtocol protocol, string errorKind)
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.Faults = new FaultPlan { RateLimitProbability = 1, RetryAfterSeconds = 7 };
        using var client = new HttpClient();

        using var response = await PostAsync(client, Url(server, protocol));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Equal("7000", Assert.Single(response.Headers.GetValues("retry-after-ms")));
        var error = await JsonAsync(response);
        Assert.Contains(errorKind, error.ToJsonString());
        if (protocol == FakeProtocol.Anthropic) Assert.Equal("error", error["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(FakeProtocol.OpenAi, 503)]
    [InlineData(FakeProtocol.Anthropic, 529)]
    public async Task Overloaded_errors_take_each_providers_status_and_shape(FakeProtocol protocol, int status)
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.Faults = new FaultPlan { OverloadedProbability = 1 };
        using var client = new HttpClient();

        using var response = await PostAsync(client, Url(server, protocol));

        Assert.Equal(status, (int)response.StatusCode);
        var error = await JsonAsync(response);
        if (protocol == FakeProtocol.Anthropic)
        {
            Assert.Equal("error", error["type"]!.GetValue<string>());
            Assert.Equal("overloaded_error", error["error"]!["type"]!.GetValue<string>());
            Assert.NotNull(error["error"]!["message"]);
        }
        else
        {
            Assert.NotNull(error["error"]!["message"]);
        }
    }

    [Fact]
    public async Task The_request_limit_admits_the_limit_per_window_and_says_when_a_slot_frees()
    {
        var clock = new FakeTimeProvider();
        await using var server = await FakeProviderServer.StartAsync(timeProvider: clock);
        server.Faults = new FaultPlan { RequestLimit = 20 };
        using var client = new HttpClient();

        async Task<List<HttpResponseMessage>> BurstAsync(int n)
        {
            var responses = new List<HttpResponseMessage>();
            for (var i = 0; i < n; i++) responses.Add(await PostAsync(client, Url(server, FakeProtocol.Anthropic)));
            return responses;
        }

        var first = await BurstAsync(50);
        Assert.Equal(20, first.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(first.Skip(20), r =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(60), r.Headers.RetryAfter?.Delta);
        });

        clock.Advance(TimeSpan.FromSeconds(45));
        var early = Assert.Single(await BurstAsync(1));
        Assert.Equal(HttpStatusCode.TooManyRequests, early.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(15), early.Headers.RetryAfter?.Delta);

        clock.Advance(TimeSpan.FromSeconds(15));
        var second = await BurstAsync(30);
        Assert.Equal(20, second.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(30 + 1 + 10, server.Counters[FakeOutcome.OverLimit]);
        Assert.Equal(40, server.Counters.Successes);
    }

    [Fact]
    public async Task The_request_limit_slides_with_the_system_clock()
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.Faults = new FaultPlan { RequestLimit = 5, RequestLimitWindow = TimeSpan.FromMilliseconds(400) };
        using var client = new HttpClient();

        async Task<int> AdmittedAsync()
        {
            var ok = 0;
            for (var i = 0; i < 12; i++)
            {
                using var r = await PostAsync(client, Url(server, FakeProtocol.OpenAi));
                if (r.StatusCode == HttpStatusCode.OK) ok++;
                else Assert.Equal(TimeSpan.FromSeconds(1), r.Headers.RetryAfter?.Delta); // under a second, rounded up
            }

            return ok;
        }

        Assert.InRange(await AdmittedAsync(), 5, 7);
        await Task.Delay(450, Ct);
        Assert.InRange(await AdmittedAsync(), 5, 7);
    }

    [Fact]
    public async Task A_hang_is_cancelled_when_the_client_gives_up_and_the_server_lets_go()
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.Faults = new FaultPlan { HangProbability = 1 };
        using var client = new HttpClient { Timeout = TimeSpan.FromMilliseconds(200) };
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<TaskCanceledException>(() => PostAsync(client, Url(server, FakeProtocol.OpenAi)));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(1));
        Assert.Equal(1, server.Counters[FakeOutcome.Hang]);
        while (server.Counters.InFlight > 0 && clock.Elapsed < TimeSpan.FromSeconds(1.5)) await Task.Delay(10, Ct);
        Assert.Equal(0, server.Counters.InFlight);
    }

    [Theory]
    [InlineData(FakeProtocol.OpenAi)]
    [InlineData(FakeProtocol.Anthropic)]
    public async Task A_truncated_body_fails_the_client_with_an_io_error(FakeProtocol protocol)
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.Faults = new FaultPlan { TruncatedBodyProbability = 1 };
        using var client = new HttpClient();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => PostAsync(client, Url(server, protocol)));

        Assert.True(error is HttpRequestException or IOException, error.ToString());
        Assert.Equal(1, server.Counters[FakeOutcome.TruncatedBody]);
    }

    [Theory]
    [InlineData(FakeProtocol.OpenAi)]
    [InlineData(FakeProtocol.Anthropic)]
    public async Task Malformed_json_comes_with_200_and_does_not_parse(FakeProtocol protocol)
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.Faults = new FaultPlan { MalformedJsonProbability = 1 };
        using var client = new HttpClient();

        using var response = await PostAsync(client, Url(server, protocol));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.NotEmpty(text);
        Assert.False(Parses(text));
    }

    [Fact]
    public async Task Latency_delays_every_reply()
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.Faults = new FaultPlan { Latency = TimeSpan.FromMilliseconds(150) };
        using var client = new HttpClient();
        var clock = Stopwatch.StartNew();

        using var response = await PostAsync(client, Url(server, FakeProtocol.OpenAi));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(140), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Latency_delays_are_counted_and_reset_with_the_other_counters()
    {
        await using var server = await FakeProviderServer.StartAsync();
        using var client = new HttpClient();
        using (var undelayed = await PostAsync(client, Url(server, FakeProtocol.OpenAi))) Assert.Equal(HttpStatusCode.OK, undelayed.StatusCode);
        Assert.Equal(0, server.Counters.Delays);

        server.Faults = new FaultPlan { Latency = TimeSpan.FromMilliseconds(20) };
        for (var i = 0; i < 2; i++)
        {
            using var response = await PostAsync(client, Url(server, FakeProtocol.OpenAi));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(2, server.Counters.Delays);
        server.Counters.Reset();
        Assert.Equal(0, server.Counters.Delays);
        Assert.Equal(TimeSpan.Zero, server.Counters.Late);
    }

    [Fact]
    public async Task Mean_arrival_and_reply_times_bracket_the_latency_and_reset_with_the_counters()
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.Faults = new FaultPlan { Latency = TimeSpan.FromMilliseconds(50) };
        using var client = new HttpClient();
        Assert.Null(server.Counters.MeanArrival);
        Assert.Null(server.Counters.MeanReply);

        var before = DateTime.UtcNow;
        using (var response = await PostAsync(client, Url(server, FakeProtocol.OpenAi))) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = DateTime.UtcNow;

        var arrival = Assert.NotNull(server.Counters.MeanArrival);
        var reply = Assert.NotNull(server.Counters.MeanReply);
        Assert.InRange(arrival, before, after);
        // The runtime's timers run on a coarse clock and may end a delay a few milliseconds early by a fine one.
        Assert.InRange(reply, arrival + TimeSpan.FromMilliseconds(40), after);

        server.Counters.Reset();
        Assert.Null(server.Counters.MeanArrival);
        Assert.Null(server.Counters.MeanReply);
    }

    [Fact]
    public async Task The_same_seed_draws_the_same_faults_again()
    {
        await using var server = await FakeProviderServer.StartAsync();
        var plan = new FaultPlan { Seed = 7, ServerErrorProbability = 0.5 };
        using var client = new HttpClient();

        async Task<string> StatusesAsync()
        {
            server.Faults = plan;
            var statuses = new StringBuilder();
            for (var i = 0; i < 40; i++)
            {
                using var r = await PostAsync(client, Url(server, FakeProtocol.OpenAi));
                statuses.Append(r.IsSuccessStatusCode ? '.' : 'x');
            }

            return statuses.ToString();
        }

        var first = await StatusesAsync();
        Assert.Equal(first, await StatusesAsync());
        Assert.Contains('x', first);
        Assert.Contains('.', first);
    }

    [Fact]
    public async Task Scripted_replies_report_usage_with_cache_fields_in_each_protocol()
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.OpenAiScript = body => new OpenAiReply(null, [("read_inbox", "{}")], "tool_calls") { Usage = new(300, 40, CachedTokens: 256) };
        server.AnthropicScript = body => AnthropicReply.Text("Hi " + body["model"]) with { Usage = new(12, 3, CacheCreationInputTokens: 7, CacheReadInputTokens: 11) };
        using var client = new HttpClient();

        using var openAi = await PostAsync(client, Url(server, FakeProtocol.OpenAi));
        using var anthropic = await PostAsync(client, Url(server, FakeProtocol.Anthropic));

        var completion = await JsonAsync(openAi);
        Assert.Equal("read_inbox", completion["choices"]![0]!["message"]!["tool_calls"]![0]!["function"]!["name"]!.GetValue<string>());
        Assert.Equal("tool_calls", completion["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(340, completion["usage"]!["total_tokens"]!.GetValue<int>());
        Assert.Equal(256, completion["usage"]!["prompt_tokens_details"]!["cached_tokens"]!.GetValue<int>());
        var message = await JsonAsync(anthropic);
        Assert.Equal("Hi fake-model", message["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("end_turn", message["stop_reason"]!.GetValue<string>());
        Assert.Equal(7, message["usage"]!["cache_creation_input_tokens"]!.GetValue<int>());
        Assert.Equal(11, message["usage"]!["cache_read_input_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Without_a_script_the_default_reply_has_zero_cache_usage()
    {
        await using var server = await FakeProviderServer.StartAsync();
        using var client = new HttpClient();

        using var anthropic = await PostAsync(client, Url(server, FakeProtocol.Anthropic));
        using var openAi = await PostAsync(client, Url(server, FakeProtocol.OpenAi));

        var message = await JsonAsync(anthropic);
        Assert.Equal(0, message["usage"]!["cache_creation_input_tokens"]!.GetValue<int>());
        Assert.Equal(0, message["usage"]!["cache_read_input_tokens"]!.GetValue<int>());
        var completion = await JsonAsync(openAi);
        Assert.Equal(0, completion["usage"]!["prompt_tokens_details"]!["cached_tokens"]!.GetValue<int>());
        Assert.Equal("OK", completion["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Request_bodies_are_kept_only_while_recording_is_on()
    {
        await using var server = await FakeProviderServer.StartAsync();
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "k1");

        (await PostAsync(client, Url(server, FakeProtocol.OpenAi))).Dispose();
        Assert.Empty(server.Recorded);

        server.RecordRequests = true;
        (await PostAsync(client, Url(server, FakeProtocol.Anthropic))).Dispose();

        var recorded = Assert.Single(server.Recorded);
        Assert.Equal(FakeProtocol.Anthropic, recorded.Protocol);
        Assert.Equal("Bearer k1", recorded.Authorization);
        Assert.Equal("fake-model", recorded.Body["model"]!.GetValue<string>());
        Assert.Equal(2, server.Counters.Requests);
    }

    [Fact]
    public async Task A_fail_status_fails_every_request_until_cleared()
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.Faults = new FaultPlan { FailStatus = 401 };
        using var client = new HttpClient();

        using var failed = await PostAsync(client, Url(server, FakeProtocol.Anthropic));
        server.Faults = server.Faults with { FailStatus = null };
        using var ok = await PostAsync(client, Url(server, FakeProtocol.Anthropic));

        Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        Assert.Equal("authentication_error", (await JsonAsync(failed))["error"]!["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task A_plan_whose_probabilities_exceed_one_is_refused_and_the_old_plan_stays()
    {
        await using var server = await FakeProviderServer.StartAsync();
        var plan = new FaultPlan { ServerErrorProbability = 0.2 };
        server.Faults = plan;

        Assert.Throws<ArgumentException>(() => server.Faults = new FaultPlan { HangProbability = 0.6, ServerErrorProbability = 0.5 });
        Assert.Throws<ArgumentException>(() => server.Faults = new FaultPlan { RequestLimit = 0 });

        Assert.Same(plan, server.Faults);
    }

    [Fact]
    public async Task Other_paths_get_404_and_are_not_counted()
    {
        await using var server = await FakeProviderServer.StartAsync();
        using var client = new HttpClient();

        using var response = await PostAsync(client, server.BaseUrl + "/v1/embeddings");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, server.Counters.Requests);
    }

    private static bool Parses(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
