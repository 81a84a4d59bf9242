using System.Net;

namespace Keel.Viewer;

/// <summary>What <c>keel view</c> serves and where.</summary>
/// <param name="StorePath">The store to read (never written).</param>
/// <param name="Host">The address to bind: an IP address or <c>localhost</c>; 127.0.0.1 unless asked otherwise.</param>
/// <param name="Port">The port; 0 picks a free one.</param>
/// <param name="SearchIndexPath">The full-text index file; null for <see cref="Keel.Store.ReplyIndex.DefaultPath"/>.</param>
/// <param name="WarmNewestRun">Compute the newest run's report and filter choices in the background at start, so its page is ready when first opened.</param>
public sealed record ViewerOptions(string StorePath, string Host = ViewerOptions.DefaultHost, int Port = ViewerOptions.DefaultPort, string? SearchIndexPath = null,
    bool WarmNewestRun = true)
{
    /// <summary>The default address: loopback only.</summary>
    public const string DefaultHost = "127.0.0.1";

    /// <summary>The default port.</summary>
    public const int DefaultPort = 5757;

    /// <summary>The address to bind, or null when <see cref="Host"/> is neither an IP address nor localhost.</summary>
    public IPAddress? Address => Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        ? IPAddress.Loopback
        : IPAddress.TryParse(Host.Trim('[', ']'), out var ip) ? ip : null;

    /// <summary>True when only this machine can connect.</summary>
    public bool IsLoopback => Address is { } a && IPAddress.IsLoopback(a);
}
