using Keel.Viewer;

namespace Keel.Cli;

/// <summary>Runs <c>keel view</c>: checks the arguments, starts the viewer, prints its address, stops on Ctrl-C.</summary>
internal static class ViewAction
{
    public static async Task<int> RunAsync(ViewerOptions options, CancellationToken cancellationToken)
    {
        if (!File.Exists(options.StorePath))
        {
            Consoles.Error($"there is no store at {Path.GetFullPath(options.StorePath)}; run 'keel eval' first, or point --db at the store it wrote");
            return ExitCodes.Usage;
        }

        if (options.Port is < 0 or > 65535)
        {
            Consoles.Error($"--port {options.Port}: expected a port from 0 to 65535");
            return ExitCodes.Usage;
        }

        if (options.Address is null)
        {
            Consoles.Error($"--host {options.Host}: expected an IP address (such as 127.0.0.1, or 0.0.0.0 for every interface) or localhost");
            return ExitCodes.Usage;
        }

        if (!options.IsLoopback)
        {
            Console.Error.WriteLine($"warning: --host {options.Host} lets other machines read every transcript in the store; the viewer has no login. " +
                "Bind 127.0.0.1 (the default) unless that is what you want.");
        }

        ViewerServer server;
        try
        {
            server = await ViewerServer.StartAsync(options, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or ArgumentException or IOException)
        {
            Consoles.Error(ex is IOException && ex is not FileNotFoundException
                ? $"cannot listen on {options.Host}:{options.Port} ({ex.Message.TrimEnd('.')}); choose another --port"
                : ex.Message);
            return ExitCodes.Usage;
        }

        await using (server)
        {
            Console.Out.WriteLine($"Keel viewer on {server.Address} (read-only: {Path.GetFullPath(options.StorePath)}); Ctrl-C stops it.");
            await Console.Out.FlushAsync(CancellationToken.None);
            await server.RunUntilCancelledAsync(cancellationToken);
        }

        Console.Error.WriteLine("viewer stopped");
        return ExitCodes.Success;
    }
}
