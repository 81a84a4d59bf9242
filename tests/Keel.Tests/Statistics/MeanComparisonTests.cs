using Keel.Statistics;
using Xunit;

namespace Keel.Tests.Statistics;

public sealed class MeanComparisonTests
{
    [Fact]
    public void Welch_difference_interval_and_p_match_the_closed_form()
    {
        // Means 2 and 4 (first − second = −2), variances 1 and 4, n 3 each: se = sqrt(1/3 + 4/3); z-test p = 2 Φ(−2/se).
        var m = MeanComparison.Of([1, 2, 3], [2, 4, 6]);
        Assert.Equal(-2, m.Difference!.Value, 12);
        Assert.Equal(-4.530303, m.DifferenceCi!.Value.Low, 5);
        Assert.Equal(0.530303, m.DifferenceCi!.Value.High, 5);
        Assert.Equal(0.121335, m.P!.Value, 5);
    }

    [Fact]
    public void Fewer_than_two_values_on_a_side_give_a_difference_without_interval_or_p()
    {
        var m = MeanComparison.Of([50], [40, 60]);
        Assert.Equal(0, m.Difference!.Value, 12);
        Assert.Null(m.DifferenceCi);
        Assert.Null(m.P);
        Assert.Null(MeanComparison.Of([], [1, 2]).Difference);
    }
}
