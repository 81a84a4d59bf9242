using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Keel.Fakes;

/// <summary>The request pipeline: record, fail status, request limit, fault draw, latency, then the outcome.</summary>
public sealed partial class FakeProviderServer
{
    private async Task HandleAsync(HttpContext http)
    {
        if (await TryServeBatchApiAsync(http)) return;
        var endpoint = Route(http.Request);
        if (endpoint is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        Counters.Received();
        try
        {
            await ServeAsync(http, endpoint);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client gave up (or the server is stopping): nothing left to answer.
        }
        finally
        {
            Counters.Done();
        }
    }

    private ProviderEndpoint? Route(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method)) return null;
        var path = request.Path.Value;
        return path == "/v1/chat/completions" ? _openAi : path == "/v1/messages" ? _anthropic : null;
    }

    private async Task ServeAsync(HttpContext http, ProviderEndpoint endpoint)
    {
        var state = _state;
        var plan = state.Plan;
        JsonNode? body = null;
        if (_record)
        {
            body = await ReadBodyAsync(http);
            if (body is null)
            {
                await RespondAsync(http, endpoint, FakeOutcome.BadRequest, plan, null);
                return;
            }

            Record(endpoint.Protocol, body, http.Request.Headers.Authorization.ToString());
        }

        FakeOutcome outcome;
        if (plan.FailStatus is not null)
        {
            outcome = FakeOutcome.FailStatus;
        }
        else if (state.Limiter is { } limiter && !limiter.TryAcquire(out var wait))
        {
            Counters.Count(FakeOutcome.OverLimit);
            await RateLimitedAsync(http, endpoint, wait);
            return;
        }
        else
        {
            outcome = state.Dice.Draw(plan);
        }

        if (outcome == FakeOutcome.Success && body is null && endpoint.HasScript)
        {
            body = await ReadBodyAsync(http);
            if (body is null) outcome = FakeOutcome.BadRequest;
        }

        await RespondAsync(http, endpoint, outcome, plan, body);
    }

    private async Task RespondAsync(HttpContext http, ProviderEndpoint endpoint, FakeOutcome outcome, FaultPlan plan, JsonNode? body)
    {
        Counters.Count(outcome);
        var aborted = http.RequestAborted;
        if (plan.Latency > TimeSpan.Zero)
        {
            var started = Stopwatch.GetTimestamp();
            await Task.Delay(plan.Latency, aborted);
            Counters.Delayed(Stopwatch.GetElapsedTime(started) - plan.Latency);
        }

        switch (outcome)
        {
            case FakeOutcome.Success:
                await WriteAsync(http, StatusCodes.Status200OK, endpoint.Reply(body));
                Counters.Replied();
                break;
            case FakeOutcome.RateLimited:
                await RateLimitedAsync(http, endpoint, TimeSpan.FromSeconds(plan.RetryAfterSeconds));
                break;
            case FakeOutcome.ServerError:
                await WriteAsync(http, StatusCodes.Status500InternalServerError, endpoint.ServerErrorBody);
                break;
            case FakeOutcome.Overloaded:
                await WriteAsync(http, endpoint.OverloadedStatus, endpoint.OverloadedBody);
                break;
            case FakeOutcome.Hang:
                await Task.Delay(plan.HangDuration, aborted);
                http.Abort();
                break;
            case FakeOutcome.MalformedJson:
                await WriteAsync(http, StatusCodes.Status200OK, endpoint.MalformedBody);
                break;
            case FakeOutcome.TruncatedBody:
                var reply = endpoint.Reply(null);
                http.Response.StatusCode = StatusCodes.Status200OK;
                http.Response.ContentType = "application/json";
                http.Response.ContentLength = reply.Length;
                await http.Response.Body.WriteAsync(reply[..(reply.Length / 2)], aborted);
                await http.Response.Body.FlushAsync(aborted);
                await Task.Delay(1, aborted); // let Kestrel's send loop put the half on the wire: Abort drops unsent output
                http.Abort();
                break;
            case FakeOutcome.FailStatus:
                await WriteAsync(http, plan.FailStatus!.Value, endpoint.FailureBody(plan.FailStatus.Value));
                break;
            case FakeOutcome.BadRequest:
                await WriteAsync(http, StatusCodes.Status400BadRequest, endpoint.BadRequestBody);
                break;
            default:
                throw new InvalidOperationException($"unhandled outcome {outcome}");
        }
    }

    private static Task RateLimitedAsync(HttpContext http, ProviderEndpoint endpoint, TimeSpan retryAfter)
    {
        var headers = http.Response.Headers;
        headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        headers["retry-after-ms"] = Math.Ceiling(retryAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        return WriteAsync(http, StatusCodes.Status429TooManyRequests, endpoint.RateLimitBody);
    }

    private static Task WriteAsync(HttpContext http, int status, ReadOnlyMemory<byte> json)
    {
        var response = http.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = json.Length;
        return response.Body.WriteAsync(json, http.RequestAborted).AsTask();
    }

    /// <summary>The request body as JSON, or null if it is not JSON.</summary>
    private static async Task<JsonNode?> ReadBodyAsync(HttpContext http)
    {
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
