using Keel.Statistics;
using Xunit;

namespace Keel.Tests.Statistics;

public class SplitMix64Tests
{
    // The reference outputs for seed 1234567 (Rosetta Code, "Pseudo-random numbers/Splitmix64", from Vigna's splitmix64.c).
    [Fact]
    public void Generator_matches_the_SplitMix64_reference_outputs()
    {
        var rng = new SplitMix64(1234567);
        ulong[] expected = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821];
        Assert.Equal(expected, expected.Select(_ => rng.NextUInt64()));
    }

    [Fact]
    public void Doubles_are_uniform_in_the_unit_interval()
    {
        var rng = new SplitMix64(42);
        var draws = Enumerable.Range(0, 100_000).Select(_ => rng.NextDouble()).ToList();
        Assert.All(draws, d => Assert.InRange(d, 0, 1 - 1e-17));
        Assert.Equal(0.5, draws.Average(), 0.005); // sd of the mean: 0.29/√100000 ≈ 0.0009
        Assert.Equal(0.1, draws.Count(d => d < 0.1) / 100_000.0, 0.005);
    }
}
