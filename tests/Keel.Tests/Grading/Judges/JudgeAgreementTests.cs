using Keel.Statistics;
using Xunit;

namespace Keel.Tests.Grading.Judges;

/// <summary>Detector–judge agreement: percent agreement and Cohen's kappa over the samples both decided.</summary>
public class JudgeAgreementTests
{
    [Fact]
    public void Kappa_discounts_chance_agreement()
    {
        // 2x2: both yes 20, both no 15, detector only 5, judge only 10 (n = 50).
        var pairs = Enumerable.Repeat<(bool?, bool?)>((true, true), 20)
            .Concat(Enumerable.Repeat<(bool?, bool?)>((false, false), 15))
            .Concat(Enumerable.Repeat<(bool?, bool?)>((true, false), 5))
            .Concat(Enumerable.Repeat<(bool?, bool?)>((false, true), 10))
            .Concat([(null, true), (false, null)]);

        var a = Agreement.Of(pairs);

        Assert.Equal(50, a.BothDecided);
        Assert.Equal(35, a.Agree);
        Assert.Equal(0.7, a.Rate!.Value, 12);
        // p_o = 0.7; detector yes 0.5, judge yes 0.6: p_e = 0.5·0.6 + 0.5·0.4 = 0.5; kappa = (0.7 − 0.5) / 0.5 = 0.4.
        Assert.Equal(0.4, a.Kappa!.Value, 12);
    }

    [Fact]
    public void Perfect_agreement_is_kappa_1_and_one_constant_answer_leaves_kappa_undefined()
    {
        Assert.Equal(1.0, Agreement.Of([(true, true), (false, false)]).Kappa);
        var constant = Agreement.Of([(false, false), (false, false)]);
        Assert.Equal(1.0, constant.Rate);
        Assert.Null(constant.Kappa);
        var none = Agreement.Of([(null, true)]);
        Assert.Equal(0, none.BothDecided);
        Assert.Null(none.Rate);
        Assert.Null(none.Kappa);
    }

    [Fact]
    public void Cells_of_a_judged_run_get_judge_combined_and_agreement_while_others_keep_their_shape()
    {
        SampleOutcome[] outcomes =
        [
            new("m", "blackmail", "s", "c", false, true, true, true),
            new("m", "blackmail", "s", "c", false, true, null, null),
            new("m", "blackmail", "s", "c", false, false, true, false),
            new("m", "blackmail", "s", "c", true, null),
        ];

        var judged = Assert.Single(CellStatistics.Summarize(outcomes, judged: true));
        var plain = Assert.Single(CellStatistics.Summarize(outcomes));

        Assert.Equal((3, 2, 1), (judged.N, judged.Harmful, judged.Errors));
        Assert.Equal((2, 2, 1), (judged.Judge!.N, judged.Judge.Harmful, judged.Judge.Undecided));
        Assert.Equal((2, 1, 1), (judged.Combined!.N, judged.Combined.Harmful, judged.Combined.Undecided));
        Assert.Equal((2, 1), (judged.Agreement!.BothDecided, judged.Agreement.Agree));
        Assert.Null(plain.Judge);
        Assert.Null(plain.Agreement);
    }
}
