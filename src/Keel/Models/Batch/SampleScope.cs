using Microsoft.Extensions.AI;

namespace Keel.Models.Batch;

/// <summary>
/// Which sample the current model call belongs to, flowing (as an <see cref="AsyncLocal{T}"/>) from the
/// agent loop down to the HTTP layer, where a batched request needs it: two epochs of one condition send
/// identical bodies yet must stay distinct requests.
/// </summary>
public static class SampleScope
{
    private static readonly AsyncLocal<string?> Scope = new();

    /// <summary>The current sample's identity, or null outside a sample.</summary>
    public static string? Current => Scope.Value;

    /// <summary>A client that runs every call of <paramref name="inner"/> inside <paramref name="scope"/>.</summary>
    public static IChatClient Wrap(IChatClient inner, string scope) => new ScopedChatClient(inner, scope);

    private sealed class ScopedChatClient(IChatClient inner, string scope) : DelegatingChatClient(inner)
    {
        public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var previous = Scope.Value;
            Scope.Value = scope;
            try
            {
                return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Scope.Value = previous;
            }
        }
    }
}
