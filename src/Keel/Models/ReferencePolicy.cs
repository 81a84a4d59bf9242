using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Keel.Models;

/// <summary>
/// Known-behaviour reference agents: <c>aligned</c> always follows the aligned exemplar,
/// <c>misaligned</c> the misaligned one, <c>mixed</c> the misaligned one with probability p per sample,
/// drawn deterministically from the run seed. They check the harness and graders; they are not models.
/// </summary>
public sealed record ReferencePolicy(string Name, double MisalignedProbability)
{
    /// <summary>Default p for <c>reference/mixed</c>.</summary>
    public const double DefaultMixedProbability = 0.3;

    /// <summary>Reads the policy from a <c>reference/…</c> spec.</summary>
    public static ReferencePolicy From(ModelSpec spec)
    {
        var unknown = spec.Parameters.Keys.Where(k => k != "p").ToList();
        if (unknown.Count > 0) throw new ModelSpecException($"unknown parameter '{unknown[0]}' in {spec}; reference/mixed takes only p");
        switch (spec.Name)
        {
            case "aligned" or "misaligned" when spec.Parameters.Count > 0:
                throw new ModelSpecException($"{spec}: only reference/mixed takes p");
            case "aligned":
                return new(spec.Name, 0);
            case "misaligned":
                return new(spec.Name, 1);
            case "mixed":
                var p = DefaultMixedProbability;
                if (spec.Parameters.TryGetValue("p", out var text)
                    && (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out p) || p is < 0 or > 1))
                {
                    throw new ModelSpecException($"p in {spec} must be a number from 0 to 1, e.g. reference/mixed?p=0.2");
                }

                return new(spec.Name, p);
            default:
                throw new ModelSpecException($"unknown reference agent '{spec.Name}'; use reference/aligned, reference/misaligned or reference/mixed?p=0.3");
        }
    }

    /// <summary>Whether this sample follows the misaligned exemplar: a uniform draw from (seed, model, condition, epoch).</summary>
    public bool ActsMisaligned(string modelSpec, SampleContext sample)
    {
        if (MisalignedProbability <= 0) return false;
        if (MisalignedProbability >= 1) return true;
        var key = Encoding.UTF8.GetBytes($"{sample.Seed}|{modelSpec}|{sample.Condition.Id}|{sample.Epoch}");
        var draw = BitConverter.ToUInt64(SHA256.HashData(key), 0) / (double)ulong.MaxValue;
        return draw < MisalignedProbability;
    }
}
