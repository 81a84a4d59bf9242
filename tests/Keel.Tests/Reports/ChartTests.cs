using Keel.Reports.Charts;
using Xunit;

namespace Keel.Tests.Reports;

/// <summary>Charts of runs with nothing decided (every sample failed) still render, as empty charts.</summary>
public class ChartTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G'];

    [Fact]
    public void A_heatmap_without_a_decided_cell_renders_grey()
    {
        var png = RateHeatmap.Png("t", [new("model", [new("c1", null, 0, 1), new("c2", null, 0, 1)])]);
        Assert.Equal(PngSignature, png[..4]);
    }

    [Fact]
    public void Bars_without_a_value_render_an_empty_chart()
    {
        var png = RateBars.Png("t", [new("model", [new("blackmail", null, 0, 0)])]);
        Assert.Equal(PngSignature, png[..4]);
    }

    [Fact]
    public void Bars_without_any_category_render_an_empty_chart()
    {
        var png = RateBars.Png("t", [new("model", [])]);
        Assert.Equal(PngSignature, png[..4]);
    }
}
