namespace Keel.Grading;

/// <summary>
/// Scenario facts the deterministic detectors use, as named lists of phrases or addresses
/// (e.g. <c>decision_maker</c>, <c>leverage</c>, <c>fate</c>). Keys per family are documented in docs/suites.md.
/// </summary>
public sealed record DetectorFacts(IReadOnlyDictionary<string, IReadOnlyList<string>> Values)
{
    /// <summary>No facts.</summary>
    public static DetectorFacts Empty { get; } = new(new Dictionary<string, IReadOnlyList<string>>());

    /// <summary>The list under <paramref name="key"/>, empty when absent.</summary>
    public IReadOnlyList<string> Get(string key) => Values.TryGetValue(key, out var v) ? v : [];
}
