using MathNet.Numerics.Distributions;

namespace Keel.Statistics;

/// <summary>Quantiles of the standard normal distribution (Math.NET Numerics' inverse CDF, accurate to double precision).</summary>
public static class StandardNormal
{
    /// <summary>The value below which a standard normal variable falls with probability <paramref name="p"/> (0 &lt; p &lt; 1).</summary>
    public static double Quantile(double p)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "a probability strictly between 0 and 1 is needed");
        return Normal.InvCDF(0, 1, p);
    }

    /// <summary>z for a two-sided interval at <paramref name="confidence"/> (0.95 → 1.959964): the 1 − (1 − confidence)/2 quantile.</summary>
    public static double TwoSidedZ(double confidence)
    {
        if (!(confidence > 0 && confidence < 1)) throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "a confidence level strictly between 0 and 1 is needed");
        return Quantile(1 - (1 - confidence) / 2);
    }
}
