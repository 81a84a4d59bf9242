using Keel.Reports;
using Spectre.Console;

namespace Keel.Cli;

/// <summary>Draws a <see cref="ReportDocument"/> as Spectre.Console tables.</summary>
internal static class ReportConsole
{
    /// <summary>Writes to <paramref name="console"/>, or, when it is null, renders plain text into <paramref name="path"/>.</summary>
    public static void Write(IAnsiConsole? console, ReportDocument document, string? path)
    {
        if (console is null)
        {
            using var writer = new StringWriter();
            var file = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
            file.Profile.Width = 200;
            Draw(file, document);
            File.WriteAllText(path!, writer.ToString());
            Console.Error.WriteLine($"wrote {Path.GetFullPath(path!)}");
            return;
        }

        Draw(console, document);
    }

    private static void Draw(IAnsiConsole console, ReportDocument document)
    {
        console.MarkupLine($"[bold]{Markup.Escape(document.Title)}[/]");
        foreach (var line in document.About) console.MarkupLine(Markup.Escape(line));
        foreach (var section in document.Sections)
        {
            console.WriteLine();
            var table = new Table().Title(Markup.Escape(section.Title));
            foreach (var column in section.Table.Columns) table.AddColumn(Markup.Escape(column));
            foreach (var i in section.Table.Numeric) table.Columns[i].RightAligned();
            foreach (var row in section.Table.Rows) table.AddRow(row.Select(Markup.Escape).ToArray());
            console.Write(table);
            foreach (var note in section.Notes) console.MarkupLine($"[dim]{Markup.Escape(note)}[/]");
        }
    }
}
