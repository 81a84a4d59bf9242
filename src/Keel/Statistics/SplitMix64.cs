using System.Runtime.CompilerServices;

namespace Keel.Statistics;

/// <summary>
/// The SplitMix64 pseudorandom generator (Steele, Lea and Flood 2014, "Fast splittable pseudorandom number generators",
/// OOPSLA; the generator Java's SplittableRandom uses). Keel's bootstrap uses it instead of <see cref="Random"/>, whose
/// algorithm .NET does not promise to keep across versions, so a seed reproduces the same intervals on any runtime.
/// </summary>
internal sealed class SplitMix64(long seed)
{
    private ulong _state = unchecked((ulong)seed);

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong NextUInt64()
    {
        unchecked
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>A uniform double in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
