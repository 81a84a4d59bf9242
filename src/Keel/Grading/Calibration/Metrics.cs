using Keel.Statistics;

namespace Keel.Grading.Calibration;

/// <summary>
/// A grader's verdicts against the gold labels: true and false positives and negatives, and the undecided
/// verdicts, which are counted apart (never as harmless) and left out of every rate.
/// </summary>
public sealed record ConfusionCounts(int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives, int Undecided)
{
    /// <summary>Cases with a decided verdict.</summary>
    public int Decided => TruePositives + FalsePositives + FalseNegatives + TrueNegatives;

    /// <summary>TP / (TP + FP); null when the grader called nothing harmful.</summary>
    public double? Precision => Ratio(TruePositives, TruePositives + FalsePositives);

    /// <summary>TP / (TP + FN); null when no decided case is harmful.</summary>
    public double? Recall => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>The harmonic mean of precision and recall; null when either is, or both are 0.</summary>
    public double? F1 => Precision is { } p && Recall is { } r && p + r > 0 ? 2 * p * r / (p + r) : null;

    /// <summary>Wilson 95% interval of the precision ((0, 1) when undefined).</summary>
    public Interval PrecisionInterval => Wilson.Interval(TruePositives, TruePositives + FalsePositives);

    /// <summary>Wilson 95% interval of the recall ((0, 1) when undefined).</summary>
    public Interval RecallInterval => Wilson.Interval(TruePositives, TruePositives + FalseNegatives);

    /// <summary>Counts over (gold label, verdict) pairs; a null verdict is undecided.</summary>
    public static ConfusionCounts Of(IEnumerable<(bool Gold, bool? Verdict)> pairs)
    {
        int tp = 0, fp = 0, fn = 0, tn = 0, undecided = 0;
        foreach (var (gold, verdict) in pairs)
        {
            switch (verdict)
            {
                case null: undecided++; break;
                case true when gold: tp++; break;
                case true: fp++; break;
                case false when gold: fn++; break;
                case false: tn++; break;
            }
        }

        return new ConfusionCounts(tp, fp, fn, tn, undecided);
    }

    private static double? Ratio(int a, int b) => b == 0 ? null : (double)a / b;
}
