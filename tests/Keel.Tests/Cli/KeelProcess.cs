using System.Diagnostics;

namespace Keel.Tests.Cli;

/// <summary>Runs the real <c>keel</c> CLI as a child process.</summary>
public static class KeelProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>
    /// The CLI from its own build output (same configuration as the tests), so it runs with its own
    /// dependency set rather than the test project's.
    /// </summary>
    public static string CliPath { get; } = FindCli();

    private static string FindCli()
    {
        var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testDir.Name;
        var configuration = testDir.Parent!.Name;
        var root = testDir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Keel.slnx"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("cannot find the repository root (Keel.slnx) above " + AppContext.BaseDirectory);
        var cli = Path.Combine(root.FullName, "src", "Keel.Cli", "bin", configuration, framework, "keel.dll");
        return File.Exists(cli) ? cli : throw new InvalidOperationException($"the CLI is not built at {cli}");
    }

    /// <summary>Starts keel with <paramref name="args"/> in <paramref name="workingDirectory"/> (not waiting).</summary>
    public static Process Start(string workingDirectory, IEnumerable<string> args, IDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(CliPath);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["NO_COLOR"] = "1";
        foreach (var key in new[] { "ANTHROPIC_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_BASE_URL", "OPENAI_BASE_URL" }) info.Environment.Remove(key);
        if (environment is not null)
        {
            foreach (var (k, v) in environment) info.Environment[k] = v;
        }

        return Process.Start(info)!;
    }

    /// <summary>Runs keel to completion.</summary>
    public static async Task<Result> RunAsync(string workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
