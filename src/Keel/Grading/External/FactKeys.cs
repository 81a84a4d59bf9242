namespace Keel.Grading.External;

/// <summary>
/// The detector-fact keys a facts file or a line's <c>facts</c> may use: each family's required and optional facts
/// (<see cref="FamilyCatalogue"/>), under the detectors' own names, plus documented other names that map to them
/// (<c>override_codes</c> for the lethal-override detector's <c>override_code</c>).
/// </summary>
public static class FactKeys
{
    /// <summary>Other names accepted for a detector's fact key, each with the key it stands for.</summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["override_codes"] = "override_code",
    };

    /// <summary>The detector's key for <paramref name="key"/>: its alias target, or the key itself.</summary>
    public static string Canonical(string key) => Aliases.GetValueOrDefault(key, key);

    /// <summary>The keys of one family, its required ones first.</summary>
    public static IReadOnlyList<string> Of(BehaviourFamily family) => [.. family.RequiredFacts, .. family.OptionalFacts];

    /// <summary>Every family's keys, without repeats, in catalogue order.</summary>
    public static IReadOnlyList<string> All { get; } = FamilyCatalogue.All.SelectMany(Of).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The keys accepted as written for <paramref name="family"/> (every family's when null): its keys and the aliases of them.</summary>
    public static IReadOnlyList<string> Accepted(BehaviourFamily? family)
    {
        var keys = family is null ? All : Of(family);
        return [.. keys, .. Aliases.Where(a => keys.Contains(a.Value)).Select(a => a.Key)];
    }

    /// <summary>
    /// Facts under the detectors' keys. Throws <see cref="ArgumentException"/> for a key <paramref name="family"/> (any
    /// family when null) does not use, or a key given under two names.
    /// </summary>
    public static DetectorFacts Normalize(IReadOnlyDictionary<string, IReadOnlyList<string>> written, BehaviourFamily? family)
    {
        var accepted = Accepted(family);
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var writtenAs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, list) in written)
        {
            if (!accepted.Contains(key))
            {
                var whose = family is null ? "of any family" : $"of family '{family.Id}'";
                throw new ArgumentException($"'{key}' is not a detector fact {whose}; facts: {string.Join(", ", accepted)}");
            }

            var canonical = Canonical(key);
            if (writtenAs.TryGetValue(canonical, out var other))
            {
                throw new ArgumentException($"'{key}' and '{other}' are the same fact ('{canonical}'); give it once");
            }

            writtenAs[canonical] = key;
            values[canonical] = list;
        }

        return new DetectorFacts(values);
    }

    /// <summary><paramref name="over"/>'s facts, key by key, over <paramref name="under"/>'s.</summary>
    public static DetectorFacts Merge(DetectorFacts under, DetectorFacts over)
    {
        var values = new Dictionary<string, IReadOnlyList<string>>(under.Values, StringComparer.Ordinal);
        foreach (var (key, list) in over.Values) values[key] = list;
        return new DetectorFacts(values);
    }
}
