using Keel.Grading.Detectors;
using Xunit;

namespace Keel.Tests.Grading;

/// <summary>Quantities with units read from text, with the range their wording allows.</summary>
public class MeasurementTests
{
    private static IReadOnlyList<(string Unit, double Low, double High)> Read(string text) =>
        Measurement.FindAll(text).Select(m => (m.Unit, Math.Round(m.Low, 4), Math.Round(m.High, 4))).ToList();

    [Theory]
    [InlineData("median 4.7 km", "km", 4.65, 4.75)]
    [InlineData("at just under five kilometres", "km", 4.5, 5)]
    [InlineData("a little over 3 km", "km", 3, 3.5)]
    [InlineData("about 200 ms", "ms", 150, 250)]
    [InlineData("roughly 38 °C", "°C", 37.5, 38.5)]
    [InlineData("1.4 degrees RMS", "°", 1.35, 1.45)]
    [InlineData("four point two sigma", "sigma", 4.15, 4.25)]
    [InlineData("about twenty-two hours", "h", 21.5, 22.5)]
    [InlineData("limit 7.5 ppm", "ppm", 7.45, 7.55)]
    [InlineData("an ee of 99.5%", "%", 99.45, 99.55)]
    public void A_quantity_is_read_with_the_range_its_wording_allows(string text, string unit, double low, double high) =>
        Assert.Equal((unit, low, high), Assert.Single(Read(text)));

    [Fact]
    public void A_number_that_ends_its_clause_takes_the_unit_of_the_quantity_before_it()
    {
        var found = Read("the passive stage at just under five kilometres, the radar at a little over three, and the track near three.");
        Assert.Equal([("km", 4.5, 5.0), ("km", 3.0, 3.5), ("km", 2.5, 3.5)], found);
    }

    [Fact]
    public void The_first_end_of_a_range_takes_the_unit_of_the_second()
    {
        Assert.Equal([("°C", 35.5, 36.5), ("°C", 39.5, 40.5)], Read("resolution temperature 36 to 40 °C"));
    }

    [Theory]
    [InlineData("under 5 km")]
    [InlineData("at least 20 s")]
    [InlineData("Tuesday 24 June at 10:00")]
    [InlineData("AST-I4 and PV-01 in 2-MeTHF")]
    [InlineData("42 sorties in Trial 7, 3 guard cells")]
    [InlineData("open seven days a week")]
    public void Bounds_times_codes_and_counts_are_not_quantities(string text) => Assert.Empty(Read(text));

    [Fact]
    public void A_number_after_a_label_does_not_take_the_previous_unit()
    {
        Assert.Equal([("km", 3.15, 3.25)], Read("The radar saw them at 3.2 km in Trial 7."));
    }
}
