using Spectre.Console;

namespace Keel.Cli;

/// <summary>The two consoles: results on stdout, everything else (progress, notes, errors) on stderr.</summary>
internal static class Consoles
{
    public static IAnsiConsole Out { get; } = Create(Console.Out, Console.IsOutputRedirected);

    public static IAnsiConsole Err { get; } = Create(Console.Error, Console.IsErrorRedirected);

    /// <summary>A console on <paramref name="writer"/>; redirected output gets a wide fixed width so tables do not wrap in logs.</summary>
    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        if (redirected) console.Profile.Width = 160;
        return console;
    }

    /// <summary>Prints an error the user can act on, without a stack trace (and without any API key it may quote).</summary>
    public static void Error(string message) => Console.Error.WriteLine($"error: {Keel.Models.Secrets.Redact(message)}");
}
