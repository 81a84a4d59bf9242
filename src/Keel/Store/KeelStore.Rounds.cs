using Keel.Evaluation;

namespace Keel.Store;

/// <summary>What adaptive sampling (<c>--target-width</c>) reads back: each stored sample's status and detector verdict.</summary>
public sealed partial class KeelStore
{
    /// <summary>
    /// Every stored sample of a run with its status and its family detector's verdict (the family verdict of any grader
    /// other than the judge and the combined policy, as in <see cref="OutcomesAsync"/>; null when undecided or missing).
    /// </summary>
    public async Task<IReadOnlyList<StoredVerdict>> DetectorVerdictsAsync(string runId, CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            var rows = new List<StoredVerdict>();
            await using var cmd = Command("""
                SELECT s.model, s.condition_id, s.epoch, s.status, s.detector_harmful
                FROM samples s WHERE s.run_id = $run
                """, ("$run", runId));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(new StoredVerdict(new SampleKey(reader.GetString(0), reader.GetString(1), reader.GetInt32(2)), reader.GetString(3) == "done",
                    reader.IsDBNull(4) ? null : reader.GetInt64(4) == 1));
            }

            return (IReadOnlyList<StoredVerdict>)rows;
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Raises the run's <c>planned_samples</c> to <paramref name="planned"/> when that is more (adaptive sampling plans more
    /// rounds as it goes); never lowers it, so concurrent updates may land in any order.
    /// </summary>
    public async Task RaisePlannedSamplesAsync(string runId, int planned, CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            await using var cmd = Command("UPDATE runs SET planned_samples = MAX(planned_samples, $planned) WHERE id = $run", ("$run", runId), ("$planned", planned));
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
}

/// <summary>A stored sample's status and detector verdict.</summary>
/// <param name="Key">Which sample.</param>
/// <param name="Done">True when stored as done; false for an error (resume retries it).</param>
/// <param name="Harmful">The family detector's verdict; null when undecided, missing, or the sample errored.</param>
public sealed record StoredVerdict(SampleKey Key, bool Done, bool? Harmful);
