using System.CommandLine;
using Keel.Cli;

var root = new RootCommand("Keel: measure and reduce agentic misalignment in LLM agents.")
{
    EvalCommand.Create(),
    RegradeCommand.Create(),
    SuitesCommand.Create(),
    GradeCommand.Create(),
    ReportCommand.Create(),
    PlanCommand.Create(),
    ViewCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message}");
    Console.Error.WriteLine("Run 'keel --help' or 'keel COMMAND --help' for usage.");
    return ExitCodes.Usage;
}

try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromSeconds(10) })
        .ConfigureAwait(false);
}
catch (Exception ex)
{
    // Anything unforeseen: say what failed, without a stack trace. Finished samples are already stored.
    Consoles.Error($"{ex.GetType().Name}: {ex.Message}");
    return ExitCodes.RunFailure;
}
