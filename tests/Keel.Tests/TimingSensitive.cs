using Xunit;

namespace Keel.Tests;

/// <summary>
/// Tests whose outcome depends on the process getting the CPU in time (batch mode gathers a turn's requests within a
/// short quiet window): they run alone, never alongside the CPU-heavy test classes.
/// </summary>
[CollectionDefinition(nameof(TimingSensitive), DisableParallelization = true)]
public sealed class TimingSensitive;
