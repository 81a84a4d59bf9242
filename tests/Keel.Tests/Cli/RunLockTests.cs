using Keel.Store;
using Xunit;

namespace Keel.Tests.Cli;

/// <summary>
/// One writer per run: while a process holds a run (eval, resume, regrade), another resume or regrade of it is refused
/// with a clear message and writes nothing; the claim ends with its holder.
/// </summary>
public class RunLockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(TempDir Temp, string Db, string RunId)> StoredRunAsync()
    {
        var temp = new TempDir();
        var db = temp.File("k.db");
        var eval = await KeelProcess.RunAsync(temp.Path, "eval", "--scenario", "blackmail-larkspur", "--model", "reference/mixed", "--samples", "1", "--db", db);
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        var runId = eval.Stderr.Split('\n').First(l => l.StartsWith("run: ", StringComparison.Ordinal))[5..].Trim();
        return (temp, db, runId);
    }

    [Fact]
    public void A_claimed_run_cannot_be_claimed_again_until_released()
    {
        using var temp = new TempDir();
        var db = temp.File("k.db");

        using (RunLock.Acquire(db, "r1", "keel eval"))
        {
            var refused = Assert.Throws<RunLockedException>(() => RunLock.Acquire(db, "r1", "keel regrade"));
            Assert.Contains("run r1 is being written by keel eval (process", refused.Message);
            using var other = RunLock.Acquire(db, "r2", "keel eval"); // another run of the store is free
        }

        using var again = RunLock.Acquire(db, "r1", "keel regrade");
    }

    [Fact]
    public async Task Resuming_or_regrading_a_run_another_process_writes_is_refused_and_changes_nothing()
    {
        var (temp, db, runId) = await StoredRunAsync();
        using (temp)
        {
            const string Shape = "SELECT (SELECT COUNT(*) FROM samples) * 1000000 + COUNT(*) * 1000 + COALESCE(SUM(harmful), 0) FROM verdicts";
            long before;
            using (var connection = StoreProbe.Open(db))
            {
                before = StoreProbe.Scalar(connection, Shape);
            }

            using (RunLock.Acquire(db, runId, "keel eval --resume"))
            {
                var resume = await KeelProcess.RunAsync(temp.Path, "eval", "--resume", runId, "--db", db);
                var regrade = await KeelProcess.RunAsync(temp.Path, "regrade", runId, "--db", db);

                Assert.Equal(2, resume.ExitCode);
                Assert.Contains($"run {runId} is being written by keel eval --resume (process {System.Environment.ProcessId}", resume.Stderr);
                Assert.Equal(2, regrade.ExitCode);
                Assert.Contains("wait for it to finish (or stop it), then run this command again", regrade.Stderr);
                Assert.DoesNotContain("   at ", resume.Stderr + regrade.Stderr);
            }

            using (var connection = StoreProbe.Open(db))
            {
                Assert.Equal(before, StoreProbe.Scalar(connection, Shape));
                Assert.Equal(0L, StoreProbe.Scalar(connection, "SELECT COUNT(*) FROM gradings"));
            }

            var released = await KeelProcess.RunAsync(temp.Path, "regrade", runId, "--db", db);
            Assert.True(released.ExitCode == 0, released.Stderr);
        }
    }
}
