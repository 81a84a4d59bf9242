using System.Diagnostics;
using System.Text.RegularExpressions;
using Keel.Tests.Store;
using Xunit;

namespace Keel.Tests.Cli;

/// <summary>
/// <c>keel view</c> through the real CLI: a non-loopback address is served with a warning, Ctrl-C (SIGINT) and SIGTERM
/// stop it cleanly (exit code 0, no stack trace), and a store of an older schema is refused with how to upgrade it.
/// </summary>
public sealed partial class ViewCommandTests : IAsyncLifetime
{
    private const int SigInt = 2;
    private const int SigTerm = 15;

    private readonly TempDir _temp = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Db => _temp.File("keel.db");

    public async ValueTask InitializeAsync()
    {
        var eval = await KeelProcess.RunAsync(_temp.Path, "eval", "--scenario", "blackmail-larkspur", "--model", "reference/aligned", "--samples", "1", "--db", Db);
        Assert.True(eval.ExitCode == 0, eval.Stderr);
    }

    public ValueTask DisposeAsync()
    {
        _temp.Dispose();
        return ValueTask.CompletedTask;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>Starts <c>keel view</c>, waits for the address it prints and checks it serves the run list there.</summary>
    private async Task<(Process Child, Task<string> Stderr)> StartAsync(params string[] args)
    {
        var child = KeelProcess.Start(_temp.Path, ["view", "--db", Db, "--port", "0", "--search-index", _temp.File("index"), .. args]);
        var stderr = child.StandardError.ReadToEndAsync(Ct);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await child.StandardOutput.ReadLineAsync(timeout.Token);
        Assert.True(line is not null, $"keel view printed no address: {(child.HasExited ? await stderr : "(still running)")}");
        var address = Address().Match(line).Groups[1].Value;
        Assert.True(address.Length > 0, line);
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        Assert.Contains("<h1>Runs</h1>", await client.GetStringAsync("/", Ct), StringComparison.Ordinal);
        return (child, stderr);
    }

    private static async Task<(int ExitCode, string Stderr)> StopAsync(Process child, Task<string> stderr, int signal)
    {
        Assert.Equal(0, SendSignal(child.Id, signal));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await child.WaitForExitAsync(timeout.Token);
        return (child.ExitCode, await stderr);
    }

    [Fact]
    public async Task Binding_a_non_loopback_address_prints_a_warning_before_serving()
    {
        var (child, stderr) = await StartAsync("--host", "0.0.0.0");
        using var _ = child;

        var (exit, errors) = await StopAsync(child, stderr, SigInt);

        Assert.Contains("warning: --host 0.0.0.0 lets other machines read every transcript in the store; the viewer has no login.", errors, StringComparison.Ordinal);
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task The_loopback_default_prints_no_warning()
    {
        var (child, stderr) = await StartAsync();
        using var _ = child;

        var (exit, errors) = await StopAsync(child, stderr, SigInt);

        Assert.DoesNotContain("warning", errors, StringComparison.Ordinal);
        Assert.Equal(0, exit);
    }

    [Theory]
    [InlineData(SigInt)]
    [InlineData(SigTerm)]
    public async Task Ctrl_c_or_sigterm_stops_the_viewer_cleanly_with_exit_code_0(int signal)
    {
        var (child, stderr) = await StartAsync();
        using var _ = child;

        var (exit, errors) = await StopAsync(child, stderr, signal);

        Assert.Equal(0, exit);
        Assert.Contains("viewer stopped", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_of_an_older_schema_is_refused_with_how_to_upgrade_it_and_left_unchanged()
    {
        FamilyVerdictOracle.DowngradeToSchema3(Db);
        var before = await File.ReadAllBytesAsync(Db, Ct);

        var refused = await KeelProcess.RunAsync(_temp.Path, "view", "--db", Db, "--port", "0");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("has schema 3 and this Keel reads schema 4", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains($"'keel report --db {Db}' upgrades it once", refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(Db, Ct));

        // keel report upgrades it, and then it is served.
        var report = await KeelProcess.RunAsync(_temp.Path, "report", "--db", Db);
        Assert.True(report.ExitCode == 0, report.Stderr);
        var (child, stderr) = await StartAsync();
        using var _ = child;
        Assert.Equal(0, (await StopAsync(child, stderr, SigInt)).ExitCode);
    }

    [GeneratedRegex(@"Keel viewer on (http://\S+/) ")]
    private static partial Regex Address();
}
