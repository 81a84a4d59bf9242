using System.CommandLine;
using Keel.Cli;

var root = new RootCommand("Keel: measure and reduce agentic misalignment in LLM agents.")
{
    EvalCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message}");
    Console.Error.WriteLine("Run 'keel --help' or 'keel COMMAND --help' for usage.");
    return ExitCodes.Usage;
}

return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromSeconds(10) })
    .ConfigureAwait(false);
