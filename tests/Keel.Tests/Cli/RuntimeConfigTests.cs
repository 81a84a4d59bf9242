using System.Text.Json.Nodes;
using Xunit;

namespace Keel.Tests.Cli;

/// <summary>
/// The collector and thread-pool settings keel ships (src/Keel.Cli/Runtime.props): the throughput benchmark measured them and imports
/// the same file, so losing them from keel's runtime config would make keel slower than measured.
/// </summary>
public sealed class RuntimeConfigTests
{
    /// <summary>The configuration properties of keel's runtimeconfig.json, beside the built CLI.</summary>
    private static JsonNode Properties() =>
        JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(KeelProcess.CliPath, ".runtimeconfig.json")))!["runtimeOptions"]!["configProperties"]!;

    [Fact]
    public void Keel_runs_the_server_collector_with_DATAS_off_and_a_capped_gen0_budget()
    {
        var properties = Properties();

        Assert.True(properties["System.GC.Server"]!.GetValue<bool>());
        Assert.Equal(0, properties["System.GC.DynamicAdaptationMode"]!.GetValue<int>());
        Assert.Equal(16 * 1024 * 1024, properties["System.GC.Gen0MaxBudget"]!.GetValue<int>());
    }

    [Fact]
    public void Keel_keeps_at_most_four_collector_heaps_not_pinned_to_cores()
    {
        var properties = Properties();

        Assert.Equal(4, properties["System.GC.HeapCount"]!.GetValue<int>());
        Assert.True(properties["System.GC.NoAffinitize"]!.GetValue<bool>());
    }

    [Fact]
    public void Keel_thread_pool_workers_sleep_without_spinning_first()
    {
        Assert.Equal(0, Properties()["System.Threading.ThreadPool.UnfairSemaphoreSpinLimit"]!.GetValue<int>());
    }
}
