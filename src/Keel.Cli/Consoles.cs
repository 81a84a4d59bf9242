using Spectre.Console;

namespace Keel.Cli;

/// <summary>The two consoles: results on stdout, everything else (progress, notes, errors) on stderr.</summary>
internal static class Consoles
{
    public static IAnsiConsole Out { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });

    public static IAnsiConsole Err { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>Prints an error the user can act on, without a stack trace.</summary>
    public static void Error(string message) => Console.Error.WriteLine($"error: {message}");
}
