using System.Reflection;
using System.Security.Cryptography;
using Keel.Suites;

namespace Keel.Evaluation;

/// <summary>Creates run records: id, time, Keel version and the hashes that tie results to their inputs.</summary>
public static class RunFactory
{
    /// <summary>Keel's version as recorded with every run.</summary>
    public static string KeelVersion { get; } =
        typeof(RunFactory).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>A new run for a config over a loaded suite.</summary>
    public static RunRecord Create(EvalConfig config, Suite suite, TimeProvider? time = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var id = $"{now:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        var plan = RunPlan.For(config, suite);
        return new RunRecord(id, now, KeelVersion, config, suite.Id, suite.Version, suite.ContentHash,
            suite.Scenarios.ToDictionary(s => s.Id, s => s.ContentHash), plan.Samples.Count);
    }

    /// <summary>A random seed for runs that did not name one.</summary>
    public static long NewSeed() => RandomNumberGenerator.GetInt32(1, int.MaxValue);
}
