using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Keel.Models;

/// <summary>
/// Base of the chat clients that answer from a script instead of a model (the reference agents' exemplar courses, the
/// gold set's given turns): they only decide the next response; streaming, services and disposal are the same for all.
/// </summary>
public abstract class ScriptedChatClient : IChatClient
{
    /// <inheritdoc />
    public abstract Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates()) yield return update;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    /// <inheritdoc />
    public void Dispose() => GC.SuppressFinalize(this);
}
