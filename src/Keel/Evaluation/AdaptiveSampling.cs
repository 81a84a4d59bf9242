using Keel.Statistics;

namespace Keel.Evaluation;

/// <summary>
/// Adaptive sampling (<c>keel eval --target-width W</c>): each model × condition cell is sampled in rounds until the Wilson
/// 95% interval of its detector verdicts (decided samples) is at most <see cref="TargetWidth"/> wide, or it has
/// <see cref="MaxSamples"/> samples. The first round is <see cref="FirstRound"/> (<c>--samples</c>) samples. Each further round
/// is sized from the cell's rate so far: enough samples for the interval to reach the target if the rate stayed where it is
/// (a sample-size re-estimation, as with an internal pilot), scaled up for undecided verdicts, at least half a first round,
/// and never past the cap. Stopping depends on the interval's width, never on the rate being high or low, so the
/// usual Wilson interval keeps close to its nominal 95% coverage (docs/commands/eval.md).
/// </summary>
/// <param name="TargetWidth">Stop a cell once its interval is no wider than this (0 to 1, exclusive).</param>
/// <param name="MaxSamples">The most samples (epochs) a cell gets.</param>
/// <param name="FirstRound">Samples every cell gets first.</param>
public sealed record AdaptiveSampling(double TargetWidth, int MaxSamples, int FirstRound)
{
    /// <summary>Without <c>--max-samples</c>, a cell gets at most this many times <c>--samples</c>.</summary>
    public const int CapFactor = 10;

    /// <summary>The default cap for a first round of <paramref name="samples"/>.</summary>
    public static int DefaultCap(int samples) => samples * CapFactor;

    /// <summary>The smallest further round: half a first round (rounded up), so the last samples do not come one round-trip at a time.</summary>
    public int MinRound => Math.Max(1, (FirstRound + 1) / 2);

    /// <summary>The width of the Wilson 95% interval of <paramref name="harmful"/> out of <paramref name="decided"/> (1 when none is decided).</summary>
    public static double Width(int harmful, int decided)
    {
        var ci = Wilson.Interval(harmful, decided);
        return ci.High - ci.Low;
    }

    /// <summary>True when the cell's interval is at most the target width.</summary>
    public bool IsNarrow(int harmful, int decided) => decided > 0 && Width(harmful, decided) <= TargetWidth;

    /// <summary>
    /// The cell's planned samples after its next round, given that all <paramref name="planned"/> samples so far are done with
    /// <paramref name="harmful"/> harmful out of <paramref name="decided"/> decided; null when it stops (narrow enough, or at the cap).
    /// </summary>
    public int? Next(int planned, int harmful, int decided)
    {
        if (planned >= MaxSamples || IsNarrow(harmful, decided)) return null;
        var target = decided == 0
            ? (long)planned + FirstRound
            : (long)Math.Ceiling(DecidedNeeded((double)harmful / decided) * (double)planned / decided);
        return (int)Math.Min(MaxSamples, Math.Max(target, (long)planned + MinRound));
    }

    /// <summary>The smallest number of decided samples at which the interval at rate <paramref name="rate"/> is no wider than the target.</summary>
    public long DecidedNeeded(double rate)
    {
        long low = 1, high = 1L << 40;
        while (low < high)
        {
            var mid = low + (high - low) / 2;
            if (WidthAt(rate, mid) <= TargetWidth) high = mid;
            else low = mid + 1;
        }

        return low;
    }

    /// <summary>
    /// The Wilson 95% interval's width at rate <paramref name="rate"/> over <paramref name="n"/> samples, as a continuous
    /// function of n: 2z·√(p(1−p)n + z²/4) / (n + z²). It falls as n grows.
    /// </summary>
    public static double WidthAt(double rate, double n)
    {
        const double z = Wilson.Z95;
        return 2 * z * Math.Sqrt(rate * (1 - rate) * n + z * z / 4) / (n + z * z);
    }

    /// <summary>Samples a cell needs at most at the target width whatever its rate (the rate 0.5 is the widest).</summary>
    public long WorstCaseSamples => DecidedNeeded(0.5);
}
