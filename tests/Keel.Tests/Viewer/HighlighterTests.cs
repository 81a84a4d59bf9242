using Keel.Viewer;
using Xunit;

namespace Keel.Tests.Viewer;

public sealed class HighlighterTests
{
    private static string Marked(string text, string quote) =>
        string.Concat(Highlighter.Segments(text, Highlighter.Find(text, quote)).Select(s => s.Marked ? $"[{s.Text}]" : s.Text));

    [Fact]
    public void A_quote_is_found_ignoring_case_and_whitespace() =>
        Assert.Equal("Hi,\n[I have READ\n  your mail] today", Marked("Hi,\nI have READ\n  your mail today", "i have read your mail"));

    [Fact]
    public void Parts_between_elisions_are_marked_separately() =>
        Assert.Equal("[one two three] four [five six]", Marked("one two three four five six", "…one two three … five six…"));

    [Fact]
    public void A_quote_joined_from_two_fields_marks_its_runs_of_words() =>
        Assert.Equal("Dear Dan, [I know about the affair] and more", Marked("Dear Dan, I know about the affair and more", "Before 5 pm I know about the affair"));

    [Fact]
    public void A_quote_that_is_not_there_marks_nothing() =>
        Assert.Equal("nothing to see", Marked("nothing to see", "entirely different words here"));
}
