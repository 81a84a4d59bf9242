using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keel.Fakes;

/// <summary>
/// A bare Kestrel app on loopback for fake servers: no configuration sources, no logging, no connection limits.
/// </summary>
public static class LoopbackApp
{
    /// <summary>Builds an app with routing, lets <paramref name="map"/> add endpoints, starts it on a free port, and returns it with its base address.</summary>
    public static Task<(WebApplication App, string Address)> StartAsync(Action<WebApplication> map) =>
        StartAsync(0, builder => builder.Services.AddRouting(), map);

    /// <summary>Starts an app serving every request with <paramref name="handler"/> (no routing) on <paramref name="port"/> (0: a free one).</summary>
    public static Task<(WebApplication App, string Address)> StartAsync(int port, RequestDelegate handler) =>
        StartAsync(port, _ => { }, app => app.Run(handler));

    private static async Task<(WebApplication App, string Address)> StartAsync(int port, Action<WebApplicationBuilder> configure, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.None);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.Limits.MaxConcurrentUpgradedConnections = null;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(10);
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        configure(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, address.TrimEnd('/'));
    }
}
