namespace Keel.Reports;

/// <summary>
/// A regrade pass of a run, as a report states it: the run's verdicts are those of its last pass (or of the eval, when
/// it was never regraded), and a pass that did not finish leaves the run mixed until it is run again.
/// </summary>
/// <param name="Id">The pass's number (as in <c>verdicts.grading_id</c>).</param>
/// <param name="StartedAt">When it started (UTC).</param>
/// <param name="FinishedAt">When it had regraded every stored sample; null when it was interrupted.</param>
/// <param name="KeelVersion">The Keel version that ran it (and so the detectors' code).</param>
/// <param name="SuiteHash">The suite hash it graded against.</param>
/// <param name="Judge">The judge it graded with; null for the detectors only.</param>
/// <param name="Samples">Samples it regraded.</param>
public sealed record GradingPass(long Id, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string KeelVersion, string SuiteHash, string? Judge, int Samples)
{
    /// <summary>The pass as the store recorded it.</summary>
    public static GradingPass Of(Keel.Store.GradingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Id, record.StartedAt, record.FinishedAt, record.KeelVersion, record.SuiteHash, record.Judge?.Endpoint.Spec, record.Samples);
    }
}
