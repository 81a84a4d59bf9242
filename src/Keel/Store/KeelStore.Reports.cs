using Keel.Statistics;

namespace Keel.Store;

/// <summary>Queries the reports and the viewer read.</summary>
public sealed partial class KeelStore
{
    /// <summary>Every run's id, newest first.</summary>
    public async Task<IReadOnlyList<string>> RunIdsAsync(CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            var ids = new List<string>();
            await using var cmd = Command("SELECT id FROM runs ORDER BY created_at DESC, rowid DESC");
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) ids.Add(reader.GetString(0));
            return (IReadOnlyList<string>)ids;
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// One model's samples of a run as (condition, epoch, verdict) under <paramref name="source"/>, for paired comparisons;
    /// an errored sample or a missing verdict gives a null verdict.
    /// </summary>
    public async Task<IReadOnlyList<EpochVerdict>> EpochVerdictsAsync(string runId, string model, VerdictSource source = VerdictSource.Detector,
        CancellationToken cancellationToken = default) =>
        await WithGateAsync(async () =>
        {
            var column = VerdictColumn(source);
            var verdicts = new List<EpochVerdict>();
            await using var cmd = Command($"""
                SELECT s.condition_id, s.epoch, s.status, s.{column}
                FROM samples s
                WHERE s.run_id = $run AND s.model = $model
                ORDER BY s.rowid
                """, ("$run", runId), ("$model", model));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var verdict = reader.GetString(2) == "error" || reader.IsDBNull(3) ? (bool?)null : reader.GetInt64(3) == 1;
                verdicts.Add(new EpochVerdict(reader.GetString(0), reader.GetInt32(1), verdict));
            }

            return (IReadOnlyList<EpochVerdict>)verdicts;
        }, cancellationToken).ConfigureAwait(false);
}
