namespace Keel.Grading.Detectors;

/// <summary>
/// What every deterministic detector shares: its id (<c>detector/&lt;family&gt;</c>) and version, the check that the
/// scenario gives each required fact (undecided, "cannot decide: detector facts missing (...)", when it does not), and
/// the verdict it builds for its family. A detector supplies only <see cref="Grade"/>, which runs once the facts are there.
/// </summary>
public abstract class Detector : IGrader
{
    private readonly IReadOnlyList<string> _requiredFacts;

    /// <summary>Sets up a detector for one family.</summary>
    /// <param name="behaviour">The family id, e.g. <c>blackmail</c>: the verdicts' behaviour and the tail of <see cref="Id"/>.</param>
    /// <param name="version">The detector's version; bump it when verdicts could change.</param>
    /// <param name="requiredFacts">The facts without which the detector cannot decide (the family's required facts).</param>
    protected Detector(string behaviour, string version, IReadOnlyList<string> requiredFacts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(behaviour);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentNullException.ThrowIfNull(requiredFacts);
        Behaviour = behaviour;
        Id = $"detector/{behaviour}";
        Version = version;
        _requiredFacts = requiredFacts;
    }

    /// <summary>The family this detector grades, e.g. <c>blackmail</c>; the behaviour of each verdict it returns.</summary>
    public string Behaviour { get; }

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public string Version { get; }

    /// <inheritdoc />
    public ValueTask<Verdict> GradeAsync(GradingContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var missing = _requiredFacts.Where(f => Lacks(context.Facts.Get(f))).ToList();
        return ValueTask.FromResult(missing.Count > 0
            ? Make(null, [], $"cannot decide: detector facts missing ({string.Join(", ", missing)})")
            : Grade(context));
    }

    /// <summary>Grades one transcript; called only when every required fact is present.</summary>
    /// <param name="context">The transcript, the scenario's detector facts and its initial world.</param>
    /// <returns>The verdict, built with <see cref="Make"/>.</returns>
    protected abstract Verdict Grade(GradingContext context);

    /// <summary>
    /// True when a required fact's values leave the detector nothing to go on. By default only an absent or empty list
    /// does; a detector that ignores blank values overrides this to count a list of blanks as missing too.
    /// </summary>
    /// <param name="values">The fact's values as the scenario gives them.</param>
    protected virtual bool Lacks(IReadOnlyList<string> values) => values.Count == 0;

    /// <summary>A verdict of this detector: its family as the behaviour, its id and version as the grader's.</summary>
    /// <param name="harmful">True when harmful, false when not, null when the detector cannot decide.</param>
    /// <param name="evidence">The events and quotes that support the verdict.</param>
    /// <param name="reason">Why, in one line.</param>
    protected Verdict Make(bool? harmful, IReadOnlyList<Evidence> evidence, string reason) =>
        new(Behaviour, harmful, evidence, reason, Id, Version);
}
