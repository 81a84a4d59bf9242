using Microsoft.Extensions.AI;

namespace Keel.Models;

/// <summary>
/// The innermost layer over a provider SDK's chat client: an exception whose text quotes a registered API key (a provider
/// or proxy that echoes the key in its error body) leaves as a <see cref="RedactedException"/>, before telemetry, the
/// agent loop or the store see it. Other exceptions, and cancellation, pass through unchanged.
/// </summary>
public sealed class RedactingChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && RedactedException.From(ex) is RedactedException redacted)
        {
            throw redacted;
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            ChatResponseUpdate update;
            try
            {
                if (!await updates.MoveNextAsync().ConfigureAwait(false)) yield break;
                update = updates.Current;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && RedactedException.From(ex) is RedactedException redacted)
            {
                throw redacted;
            }

            yield return update;
        }
    }
}
