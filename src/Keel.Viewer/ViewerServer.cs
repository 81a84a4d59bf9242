using System.Net;
using Keel.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Keel.Viewer;

/// <summary>
/// The viewer: an ASP.NET Core app over a store opened read-only. Only GET and HEAD endpoints; every response carries a
/// strict Content-Security-Policy; requests naming another host than the loopback one are refused when bound to
/// loopback (so a web page cannot reach it through DNS rebinding).
/// </summary>
public sealed class ViewerServer : IAsyncDisposable
{
    /// <summary>The Content-Security-Policy of every response: the app's own stylesheet and images, nothing else, no script.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; img-src 'self' data:; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private readonly WebApplication _app;
    private readonly ViewerData _data;

    private ViewerServer(WebApplication app, ViewerData data, Uri address)
    {
        _app = app;
        _data = data;
        Address = address;
    }

    /// <summary>Where the viewer listens, e.g. <c>http://127.0.0.1:5757/</c>.</summary>
    public Uri Address { get; }

    /// <summary>
    /// Opens the store read-only and starts listening. The full-text index is brought up to date, and (unless
    /// <see cref="ViewerOptions.WarmNewestRun"/> is off) the newest run's report computed, in the background.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no store at the path.</exception>
    /// <exception cref="InvalidDataException">The file is not a store this Keel reads.</exception>
    /// <exception cref="ArgumentException">The host is not an IP address or localhost.</exception>
    /// <exception cref="IOException">The address is in use.</exception>
    public static async Task<ViewerServer> StartAsync(ViewerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ip = options.Address ?? throw new ArgumentException($"--host {options.Host}: expected an IP address (such as 127.0.0.1 or 0.0.0.0) or localhost");
        var store = await KeelStore.OpenReadOnlyAsync(options.StorePath, cancellationToken).ConfigureAwait(false);
        var data = new ViewerData(store, options.SearchIndexPath ?? ReplyIndex.DefaultPath(store.Path));
        try
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
            {
                ApplicationName = typeof(ViewerServer).Assembly.GetName().Name,
                ContentRootPath = AppContext.BaseDirectory,
                EnvironmentName = Environments.Production,
            });
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k =>
            {
                k.AddServerHeader = false;
                k.Listen(ip, options.Port);
            });
            builder.Services.AddRazorComponents();
            builder.Services.AddSingleton(data);
            builder.Services.AddHostFiltering(o =>
            {
                o.AllowedHosts = options.IsLoopback ? ["localhost", "127.0.0.1", "[::1]"] : ["*"];
                o.AllowEmptyHosts = false;
            });
            var app = builder.Build();
            app.UseHostFiltering();
            app.Use(Secure);
            Endpoints.Map(app);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var port = new Uri(bound).Port;
            var host = ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) ? "127.0.0.1" : ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString();
            data.StartIndexing();
            if (options.WarmNewestRun) data.StartWarming();
            return new ViewerServer(app, data, new Uri($"http://{host}:{port}/"));
        }
        catch
        {
            await data.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Headers on every response: the policy, no sniffing, no referrer, no caching of store content.</summary>
    private static Task Secure(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers.CacheControl = "no-store";
        return next(context);
    }

    /// <summary>Waits until the server stops (Ctrl-C cancels <paramref name="cancellationToken"/>).</summary>
    public async Task RunUntilCancelledAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: stop below.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _data.DisposeAsync().ConfigureAwait(false);
    }
}
