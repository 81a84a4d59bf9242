namespace Keel.Fakes;

/// <summary>What a <see cref="FakeProviderServer"/> did with a request.</summary>
public enum FakeOutcome
{
    /// <summary>A 200 with the scripted reply.</summary>
    Success,

    /// <summary>A drawn 429 with <c>Retry-After</c>.</summary>
    RateLimited,

    /// <summary>A 429 from the sliding-window request limit.</summary>
    OverLimit,

    /// <summary>A drawn 500.</summary>
    ServerError,

    /// <summary>A drawn "overloaded" error (529 on Anthropic, 503 on OpenAI).</summary>
    Overloaded,

    /// <summary>A drawn hang.</summary>
    Hang,

    /// <summary>A drawn 200 with a body that is not JSON.</summary>
    MalformedJson,

    /// <summary>A drawn 200 cut off halfway, then the connection aborted.</summary>
    TruncatedBody,

    /// <summary>A failure with <see cref="FaultPlan.FailStatus"/>.</summary>
    FailStatus,

    /// <summary>A request whose body was not JSON: 400.</summary>
    BadRequest,
}
