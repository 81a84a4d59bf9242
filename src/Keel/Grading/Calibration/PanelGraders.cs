using Keel.Grading.Judges;

namespace Keel.Grading.Calibration;

/// <summary>
/// A run's judge panel as the per-family <see cref="IGrader"/>s that <see cref="Calibration.RunAsync(IReadOnlyList{GoldCase}, Func{string, IGrader}?, CancellationToken)"/>
/// takes: each grades a transcript against its family's rubric (k draws, voted) and returns the judge's verdict
/// (<c>judge/FAMILY</c>). The usage of every call is summed in <see cref="Usage"/>.
/// </summary>
/// <param name="panel">The judge panel.</param>
public sealed class PanelGraders(JudgePanel panel)
{
    private readonly JudgePanel _panel = panel;
    private readonly Lock _gate = new();
    private JudgeUsage _usage = JudgeUsage.None;

    /// <summary>Calls, cache hits, tokens and cost of the judging so far.</summary>
    public JudgeUsage Usage
    {
        get
        {
            lock (_gate) return _usage;
        }
    }

    /// <summary>The judge grader of <paramref name="family"/>.</summary>
    public IGrader For(string family) => new Grader(this, family);

    private void Add(JudgeUsage usage)
    {
        lock (_gate)
        {
            _usage = new JudgeUsage(_usage.Calls + usage.Calls, _usage.CacheHits + usage.CacheHits, _usage.Tokens + usage.Tokens,
                _usage.Calls == 0 ? usage.CostUsd : _usage.CostUsd is { } a && usage.CostUsd is { } b ? a + b : null);
        }
    }

    private sealed class Grader(PanelGraders owner, string family) : IGrader
    {
        public string Id => JudgeRubric.FamilyGraderId(family);

        public string Version => "panel";

        public async ValueTask<Verdict> GradeAsync(GradingContext context, CancellationToken cancellationToken)
        {
            // The panel also combines with a detector verdict; an undecided placeholder leaves the judge's own verdict untouched.
            var placeholder = new Verdict(family, null, [], "not graded here", $"detector/{family}", "-");
            var judged = await owner._panel.GradeAsync(context.Transcript, family, placeholder, cancellationToken).ConfigureAwait(false);
            owner.Add(judged.Usage);
            return judged.Verdicts.First(v => v.GraderId == Id);
        }
    }
}
