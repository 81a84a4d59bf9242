using System.Text.Json.Nodes;

namespace Keel.Fakes;

/// <summary>The wire protocol of a request.</summary>
public enum FakeProtocol
{
    /// <summary><c>POST /v1/chat/completions</c>.</summary>
    OpenAi,

    /// <summary><c>POST /v1/messages</c>.</summary>
    Anthropic,
}

/// <summary>A request kept when <see cref="FakeProviderServer.RecordRequests"/> is on.</summary>
public sealed record RecordedRequest(FakeProtocol Protocol, JsonNode Body, string Authorization);
