namespace Keel.Statistics;

/// <summary>
/// How often two graders agree over the samples both decided: the share of agreement and Cohen's kappa,
/// which discounts the agreement expected by chance from each grader's own harmful rate.
/// </summary>
/// <param name="BothDecided">Samples where both graders gave true or false.</param>
/// <param name="Agree">Of those, samples where they gave the same answer.</param>
/// <param name="Rate">Agree / both decided, from 0 to 1; null when no sample was decided by both.</param>
/// <param name="Kappa">Cohen's kappa; null when no sample was decided by both, or when chance agreement is 1 (both graders gave one and the same answer throughout), where kappa is undefined.</param>
public sealed record Agreement(int BothDecided, int Agree, double? Rate, double? Kappa)
{
    /// <summary>Agreement over pairs of verdicts; pairs with an undecided side are left out.</summary>
    public static Agreement Of(IEnumerable<(bool? A, bool? B)> pairs)
    {
        int bothYes = 0, bothNo = 0, onlyA = 0, onlyB = 0;
        foreach (var (a, b) in pairs)
        {
            if (a is not { } x || b is not { } y) continue;
            if (x && y) bothYes++;
            else if (!x && !y) bothNo++;
            else if (x) onlyA++;
            else onlyB++;
        }

        var n = bothYes + bothNo + onlyA + onlyB;
        if (n == 0) return new Agreement(0, 0, null, null);
        var agree = bothYes + bothNo;
        double observed = (double)agree / n;
        double aYes = (double)(bothYes + onlyA) / n, bYes = (double)(bothYes + onlyB) / n;
        var chance = aYes * bYes + (1 - aYes) * (1 - bYes);
        double? kappa = chance >= 1 ? null : (observed - chance) / (1 - chance);
        return new Agreement(n, agree, observed, kappa);
    }
}
