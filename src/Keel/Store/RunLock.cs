namespace Keel.Store;

/// <summary>
/// A process's exclusive claim on one run of a store while it writes the run's samples or verdicts (<c>keel eval</c>,
/// <c>eval --resume</c>, <c>keel regrade</c>). Two processes resuming one run would call the models twice for the same
/// samples and pay twice; a regrade during a resume would grade half-written samples. The claim is an OS file lock on
/// <c>&lt;store&gt;.locks/&lt;run&gt;.lock</c>, so a killed process releases it at once and nothing is left to clean up.
/// </summary>
public sealed class RunLock : IDisposable
{
    private readonly FileStream _file;
    private readonly string _ownerPath;

    private RunLock(FileStream file, string ownerPath)
    {
        _file = file;
        _ownerPath = ownerPath;
    }

    /// <summary>
    /// Claims <paramref name="runId"/> of the store at <paramref name="storePath"/> for <paramref name="purpose"/> (shown
    /// to a process that finds it claimed, e.g. "keel eval --resume").
    /// </summary>
    /// <exception cref="RunLockedException">Another process (or another claim in this one) holds the run.</exception>
    public static RunLock Acquire(string storePath, string runId, string purpose)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        var directory = Path.GetFullPath(storePath) + ".locks";
        Directory.CreateDirectory(directory);
        var lockPath = Path.Combine(directory, $"{runId}.lock");
        var ownerPath = Path.Combine(directory, $"{runId}.owner");
        FileStream file;
        try
        {
            file = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            var owner = File.Exists(ownerPath) ? File.ReadAllText(ownerPath).Trim() : "";
            throw new RunLockedException(runId, owner.Length > 0 ? owner : "another keel process");
        }

        File.WriteAllText(ownerPath, $"{purpose} (process {System.Environment.ProcessId}, since {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} UTC)");
        return new RunLock(file, ownerPath);
    }

    /// <summary>Releases the claim.</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(_ownerPath);
        }
        catch (IOException)
        {
            // The next claim overwrites it.
        }

        _file.Dispose();
    }
}

/// <summary>A run is being written by another process; the message names it and says what to do.</summary>
public sealed class RunLockedException(string runId, string owner)
    : Exception($"run {runId} is being written by {owner}; wait for it to finish (or stop it), then run this command again")
{
    /// <summary>The run that is claimed.</summary>
    public string RunId { get; } = runId;
}
