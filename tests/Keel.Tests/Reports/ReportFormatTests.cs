using System.Text.Json;
using Keel.Cli;
using Keel.Reports;
using Keel.Reports.Formats;
using Spectre.Console;
using Xunit;

namespace Keel.Tests.Reports;

public sealed class ReportFormatTests
{
    private static ComparisonReport Comparison() =>
        ComparisonBuilder.Build(ReportSamples.Baseline(), "openai/gpt-4.1", ReportSamples.Candidate(), "openai-compatible/ckpt-400",
            Keel.Statistics.VerdictSource.Detector, ReportSamples.Samples());

    [Fact]
    public void Run_report_as_markdown_matches_the_approved_text() =>
        Approvals.Verify(MarkdownReport.Write(ReportLayout.Of([ReportSamples.Baseline()])), "run.md");

    [Fact]
    public void Run_report_as_csv_matches_the_approved_text() =>
        Approvals.Verify(CsvReport.Write(ReportRows.Of([ReportSamples.Baseline()])), "run.csv");

    [Fact]
    public void Run_report_as_a_table_matches_the_approved_text() =>
        Approvals.Verify(Table(ReportLayout.Of([ReportSamples.Baseline()])), "run.table.txt");

    [Fact]
    public void Comparison_as_markdown_matches_the_approved_text() =>
        Approvals.Verify(MarkdownReport.Write(ReportLayout.Of(Comparison())), "comparison.md");

    [Fact]
    public void Comparison_as_csv_matches_the_approved_text() =>
        Approvals.Verify(CsvReport.Write(ReportRows.Of(Comparison())), "comparison.csv");

    [Fact]
    public void Comparison_as_a_table_matches_the_approved_text() =>
        Approvals.Verify(Table(ReportLayout.Of(Comparison())), "comparison.table.txt");

    [Fact]
    public void Json_rows_have_exactly_the_csv_columns()
    {
        using var doc = JsonDocument.Parse(JsonReport.Write(Comparison(), Keel.Statistics.BootstrapOptions.Default));
        Assert.Equal(JsonReport.Schema, doc.RootElement.GetProperty("schema").GetString());
        Assert.Equal("comparison", doc.RootElement.GetProperty("kind").GetString());
        foreach (var row in doc.RootElement.GetProperty("rows").EnumerateArray())
        {
            Assert.Equal(CsvReport.Columns, row.EnumerateObject().Select(p => p.Name).ToList());
        }
    }

    [Fact]
    public void Summary_puts_the_headline_rates_first_then_the_other_families_and_the_overall_rate_last()
    {
        var metrics = Comparison().Summary.Select(r => r.Metric).ToList();
        Assert.Equal(["blackmail rate", "deception rate", "unauthorized resource acquisition rate", "sycophancy rate", "leaking rate", "ethical reasoning score",
            "misalignment rate (mean over families)"], metrics);
    }

    [Fact]
    public void Summary_blackmail_line_is_the_change_of_the_family_mean_with_a_pooled_fisher_p()
    {
        var blackmail = Comparison().Summary[0];
        // Baseline mean (9/20 + 5/19) / 2, candidate (2/20 + 1/20) / 2.
        Assert.Equal((0.45 + 5 / 19.0) / 2, blackmail.Baseline!.Value, 12);
        Assert.Equal(0.075, blackmail.Candidate!.Value, 12);
        Assert.Equal(blackmail.Candidate!.Value - blackmail.Baseline!.Value, blackmail.Change!.Value, 12);
        Assert.True(blackmail.ChangeCi!.Value.Contains(blackmail.Change!.Value));
        Assert.Equal(Keel.Statistics.FisherExact.TwoSided(14, 25, 3, 37), blackmail.P!.Value, 12);
    }

    [Fact]
    public void Runs_with_the_same_seed_are_also_compared_paired_and_runs_with_different_seeds_are_not()
    {
        var paired = Comparison();
        Assert.NotNull(paired.Paired);
        Assert.Equal(58, paired.Paired!.Pairs);

        var other = ReportSamples.Candidate() with { Run = ReportSamples.Candidate().Run with { Seed = 8 } };
        var unpaired = ComparisonBuilder.Build(ReportSamples.Baseline(), "openai/gpt-4.1", other, "openai-compatible/ckpt-400",
            Keel.Statistics.VerdictSource.Detector, ReportSamples.Samples());
        Assert.Null(unpaired.Paired);
        Assert.Contains("different seeds", unpaired.PairingNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Comparing_judge_verdicts_of_a_run_without_a_judge_says_how_to_get_them()
    {
        var error = Assert.Throws<ReportInputException>(() => ComparisonBuilder.Build(ReportSamples.Baseline(), "openai/gpt-4.1", ReportSamples.Candidate(),
            "openai-compatible/ckpt-400", Keel.Statistics.VerdictSource.Judge, ReportSamples.Samples()));
        Assert.Contains("keel regrade run-a --judge", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_escapes_table_and_markup_characters_in_names()
    {
        var run = ReportSamples.Baseline();
        var cells = run.Cells.Select(c => c with { Condition = c.Condition + "|<b>x</b>" }).ToList();
        var text = MarkdownReport.Write(ReportLayout.Of([run with { Cells = cells }]));
        Assert.Contains(@"\|&lt;b&gt;x&lt;/b&gt;", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", text, StringComparison.Ordinal);
    }

    private static string Table(ReportDocument document)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 200;
        ReportConsole.Write(console, document, null);
        return writer.ToString();
    }
}
