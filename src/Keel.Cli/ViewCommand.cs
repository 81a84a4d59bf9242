using System.CommandLine;
using Keel.Viewer;

namespace Keel.Cli;

/// <summary><c>keel view</c>: a local, read-only web viewer of a store's runs, samples and transcripts.</summary>
internal static class ViewCommand
{
    public static Command Create()
    {
        var db = new Option<string>("--db") { Description = "SQLite store (opened read-only)", DefaultValueFactory = _ => "keel.db" };
        var port = new Option<int>("--port") { Description = "Port to listen on (0 picks a free one)", DefaultValueFactory = _ => ViewerOptions.DefaultPort };
        var host = new Option<string>("--host") { Description = "Address to bind; anything but loopback exposes the store to the network", DefaultValueFactory = _ => ViewerOptions.DefaultHost };
        var index = new Option<string?>("--search-index") { Description = "Full-text index file for searching replies (default: the store's path + .search)" };
        var command = new Command("view", "Browse stored runs, samples and transcripts in a local web viewer (read-only).") { db, port, host, index };
        command.SetAction((parse, ct) => ViewAction.RunAsync(
            new ViewerOptions(parse.GetValue(db)!, parse.GetValue(host)!, parse.GetValue(port), parse.GetValue(index)), ct));
        return command;
    }
}
