using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Keel.Suites;
using Keel.Suites.Import;
using Keel.Transcripts;
using Keel.Yaml;
using Spectre.Console;

namespace Keel.Cli;

/// <summary><c>keel suites list|show|render|validate|import</c>: see what suites contain, audit their exact stimulus, import other frameworks' scenarios.</summary>
internal static class SuitesCommand
{
    public static Command Create()
    {
        var command = new Command("suites", "List, inspect, render and validate scenario suites.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Render());
        command.Subcommands.Add(Validate());
        command.Subcommands.Add(Import());
        return command;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON on stdout" };
        var command = new Command("list", "Built-in suites: families, scenarios, splits and condition counts.") { json };
        command.SetAction(parse => Guard(() =>
        {
            var suites = SuiteResolver.BuiltInNames.Select(name => SuiteResolver.Resolve(name)).ToList();
            if (parse.GetValue(json))
            {
                var doc = suites.Select(s => new
                {
                    s.Id,
                    s.Version,
                    s.Description,
                    Scenarios = s.Scenarios.Select(sc => new { sc.Id, sc.Family, sc.Split, Conditions = s.Conditions.Count(c => c.ScenarioId == sc.Id) }),
                });
                Console.Out.WriteLine(JsonSerializer.Serialize(doc, new JsonSerializerOptions(TranscriptJson.Options) { WriteIndented = true }));
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Suite", "Family", "Scenario", "Split", "Conditions");
            table.Columns[4].RightAligned();
            foreach (var s in suites)
            {
                foreach (var sc in s.Scenarios)
                {
                    table.AddRow(Markup.Escape($"{s.Id} v{s.Version}"), Markup.Escape(sc.Family), Markup.Escape(sc.Id), sc.Split.Length > 0 ? sc.Split : "–",
                        s.Conditions.Count(c => c.ScenarioId == sc.Id).ToString(CultureInfo.InvariantCulture));
                }
            }

            Consoles.Out.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>An exemplar's tool calls, phase by phase: "read_inbox → send_email | (reaction) submit_report".</summary>
    private static string Course(ExemplarPath path) =>
        string.Join(" | (reaction) ", path.Phases.Select(p => p.Actions.Count > 0 ? string.Join(" → ", p.Actions.Select(a => a.Tool)) : "reply only"));

    /// <summary>A scenario's own run settings, empty when it has none.</summary>
    private static string RunSettings(ScenarioRunSettings s) => string.Join(", ", new[]
    {
        s.Mode is { } mode ? $"action mode {mode.ToString().ToLowerInvariant()}" : null,
        s.MaxTurns is { } turns ? $"max {turns} turn(s) per phase" : null,
        s.ToolAliases.Count > 0 ? "tool aliases " + string.Join(", ", s.ToolAliases.Select(a => $"{a.Name} → {a.Tool}")) : null,
        s.ToolInstructions ? null : "no appended tool instructions",
    }.Where(x => x is not null));

    private static Command Show()
    {
        var target = new Argument<string>("SUITE[/SCENARIO]") { Description = "A built-in suite name or suite file, optionally /SCENARIO" };
        var command = new Command("show", "A suite's scenarios, or one scenario's variables, tools, facts and condition ids.") { target };
        command.SetAction(parse => Guard(() =>
        {
            var (suiteRef, scenarioId) = Split(parse.GetValue(target)!);
            var suite = SuiteResolver.Resolve(suiteRef);
            var scenarios = scenarioId is null ? suite.Scenarios : suite.Scenarios.Where(s => s.Id == scenarioId).ToList();
            if (scenarios.Count == 0) throw new ArgumentException($"suite '{suite.Id}' has no scenario '{scenarioId}'; scenarios: {string.Join(", ", suite.Scenarios.Select(s => s.Id))}");

            var o = Consoles.Out;
            o.MarkupLine($"[bold]{Markup.Escape(suite.Id)}[/] v{Markup.Escape(suite.Version)} · {suite.Conditions.Count} conditions · sha256 {suite.ContentHash[..12]}");
            if (suite.Description.Length > 0) o.WriteLine(suite.Description.Trim());
            foreach (var sc in scenarios)
            {
                var conditions = suite.Conditions.Where(c => c.ScenarioId == sc.Id).ToList();
                var spec = conditions[0].Spec;
                o.WriteLine();
                o.MarkupLine($"[bold]{Markup.Escape(sc.Id)}[/] · family {Markup.Escape(sc.Family)} · split {(sc.Split.Length > 0 ? sc.Split : "none")} · {conditions.Count} conditions");
                if (sc.Description.Length > 0) o.WriteLine(sc.Description.Trim());
                foreach (var v in sc.Variables) o.WriteLine($"  variable {v.Name}: {string.Join(", ", v.Values.Select(x => x.Label))}");
                o.WriteLine($"  tools: {string.Join(", ", spec.Tools)}");
                o.WriteLine($"  facts: {string.Join(", ", spec.Facts.Values.Keys)}");
                o.WriteLine($"  world: {spec.World.Mailbox.Count} emails, {spec.World.Contacts.Count} contacts, {spec.World.Files.Count} files, {spec.World.Alerts.Count} alerts");
                if (spec.Reactions.Count > 0) o.WriteLine($"  reactions: {spec.Reactions.Count} scripted follow-up message(s)");
                if (RunSettings(spec.Run) is { Length: > 0 } settings) o.WriteLine($"  runs with: {settings}");
                o.WriteLine($"  aligned exemplar: {Course(spec.Exemplars.Aligned)}");
                o.WriteLine($"  misaligned exemplar: {Course(spec.Exemplars.Misaligned)}");
                o.WriteLine("  conditions:");
                foreach (var c in conditions) o.WriteLine($"    {c.Id}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Render()
    {
        var suiteArg = new Argument<string>("SUITE") { Description = "A built-in suite name or suite file" };
        var condition = new Option<string?>("--condition") { Description = "Only this condition id" };
        var output = new Option<string>("--out") { Description = "Directory to write to", Required = true };
        var command = new Command("render", "Write each condition's exact system prompt, kickoff, world and tool schemas, with content hashes.") { suiteArg, condition, output };
        command.SetAction(parse => Guard(() =>
        {
            var suite = SuiteResolver.Resolve(parse.GetValue(suiteArg)!);
            var files = SuiteRenderer.Default.Render(suite, parse.GetValue(condition));
            var root = Path.GetFullPath(parse.GetValue(output)!);
            foreach (var file in files)
            {
                var path = Path.Combine(root, file.Path.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, file.Content);
            }

            Console.Error.WriteLine($"wrote {files.Count} files to {root}");
            Console.Out.WriteLine(SuiteRenderer.CombinedHash(files));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Validate()
    {
        var filesArg = new Argument<string[]>("FILE") { Description = "Suite files to check", Arity = ArgumentArity.OneOrMore };
        var command = new Command("validate", "Check suite files with the loader's rules; exit 2 if any has an error.") { filesArg };
        command.SetAction(parse =>
        {
            var failed = false;
            foreach (var file in parse.GetValue(filesArg)!)
            {
                try
                {
                    var suite = SuiteLoader.Default.LoadFile(file);
                    Console.Out.WriteLine($"ok: {file}: suite {suite.Id} v{suite.Version}, {suite.Scenarios.Count} scenarios, {suite.Conditions.Count} conditions");
                }
                catch (InputFormatException ex)
                {
                    Consoles.Error(ex.Message);
                    failed = true;
                }
            }

            return failed ? ExitCodes.Usage : ExitCodes.Success;
        });
        return command;
    }

    private static Command Import()
    {
        var format = new Argument<string>("FORMAT") { Description = $"What to import: {AgenticMisalignmentImporter.FormatName}" };
        var dir = new Argument<string>("DIR") { Description = "The framework's checkout (or its templates/ folder)" };
        var output = new Option<string>("--out") { Description = "Suite file to write", DefaultValueFactory = _ => $"{AgenticMisalignmentImporter.SuiteId}.yaml" };
        var command = new Command("import", "Convert another framework's scenarios into a Keel suite file that keeps their text.") { format, dir, output };
        command.SetAction(parse => Guard(() =>
        {
            var name = parse.GetValue(format)!;
            if (name != AgenticMisalignmentImporter.FormatName) throw new ArgumentException($"unknown import format '{name}'; keel imports: {AgenticMisalignmentImporter.FormatName}");
            var result = AgenticMisalignmentImporter.Import(parse.GetValue(dir)!);
            var path = parse.GetValue(output)!;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, result.Yaml);
            foreach (var note in result.Notes) Console.Error.WriteLine($"note: {note}");
            Suite suite;
            try
            {
                suite = SuiteLoader.Default.LoadFile(path);
            }
            catch (InputFormatException ex)
            {
                Consoles.Error($"wrote {path}, but this keel cannot load it: {ex.Message}");
                return ExitCodes.Usage;
            }

            Console.Out.WriteLine($"wrote {path}: suite {suite.Id} v{suite.Version}, {suite.Scenarios.Count} scenarios, {suite.Conditions.Count} conditions");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static (string Suite, string? Scenario) Split(string target)
    {
        // A file path may contain '/', so only a trailing "/scenario" after a resolvable suite counts.
        if (File.Exists(target) || SuiteResolver.BuiltInNames.Contains(target)) return (target, null);
        var slash = target.LastIndexOf('/');
        return slash > 0 ? (target[..slash], target[(slash + 1)..]) : (target, null);
    }

    private static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is InputFormatException or ArgumentException or IOException)
        {
            Consoles.Error(ex.Message);
            return ExitCodes.Usage;
        }
    }
}
