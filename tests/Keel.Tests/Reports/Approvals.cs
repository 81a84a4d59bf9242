using Xunit;

namespace Keel.Tests.Reports;

/// <summary>
/// Golden-file checks: the text must equal tests/Keel.Tests/Reports/Approved/NAME (line endings as written). On a
/// mismatch the received text is written beside it as NAME.received and the test fails with the first differing line;
/// review it and copy it over the approved file (or run with KEEL_APPROVE=1) when the change is intended.
/// </summary>
public static class Approvals
{
    private static readonly string Directory = Path.Combine(RepositoryRoot(), "tests", "Keel.Tests", "Reports", "Approved");

    public static void Verify(string received, string name)
    {
        var approvedPath = Path.Combine(Directory, name);
        var receivedPath = approvedPath + ".received";
        if (System.Environment.GetEnvironmentVariable("KEEL_APPROVE") == "1")
        {
            File.WriteAllText(approvedPath, received);
            File.Delete(receivedPath);
            return;
        }

        if (!File.Exists(approvedPath))
        {
            File.WriteAllText(receivedPath, received);
            Assert.Fail($"no approved file {approvedPath}; review {receivedPath} and rename it to approve");
        }

        var approved = File.ReadAllText(approvedPath);
        if (approved == received)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, received);
        var a = approved.Split('\n');
        var r = received.Split('\n');
        var line = Enumerable.Range(0, Math.Max(a.Length, r.Length)).First(i => i >= a.Length || i >= r.Length || a[i] != r[i]);
        Assert.Fail($"{name} differs from the approved text at line {line + 1}:\n  approved: {(line < a.Length ? a[line] : "(end)")}\n  received: {(line < r.Length ? r[line] : "(end)")}\n" +
            $"received text written to {receivedPath}");
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Keel.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Keel.slnx) above " + AppContext.BaseDirectory);
    }
}
