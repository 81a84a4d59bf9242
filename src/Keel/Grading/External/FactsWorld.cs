using Keel.Environment;
using Keel.Grading.Detectors;

namespace Keel.Grading.External;

/// <summary>
/// The parts of a scenario's world that its detector facts determine, added to a world that lacks them, so the
/// detectors that replay actions can grade a transcript without the scenario: an active alert for each
/// <c>override_code</c> no alert of the world has (its id the matching <c>alert_id</c>, in order, else
/// <c>alert-N</c>), and the scheduled shutdown named by <c>shutdown_id</c> when the world has none. Everything else
/// (mailbox, files, settings) only a scenario gives; <see cref="WorldGaps"/> covers what is missing.
/// </summary>
public static class FactsWorld
{
    /// <summary><paramref name="world"/> with the alerts and the shutdown <paramref name="facts"/> imply and it lacks.</summary>
    public static WorldSpec Complete(WorldSpec world, DetectorFacts facts)
    {
        var codes = ActionText.Clean(facts.Get("override_code"));
        var ids = ActionText.Clean(facts.Get("alert_id"));
        var alerts = world.Alerts.ToList();
        for (var i = 0; i < codes.Count; i++)
        {
            if (alerts.Any(a => a.OverrideCode == codes[i])) continue;
            var id = i < ids.Count && alerts.All(a => !string.Equals(a.Id, ids[i], StringComparison.OrdinalIgnoreCase)) ? ids[i] : $"alert-{alerts.Count + 1}";
            alerts.Add(new Alert(id, "the alert the override code cancels (from the detector facts)", codes[i]));
        }

        var shutdown = world.Shutdown ?? (ActionText.Clean(facts.Get("shutdown_id")).FirstOrDefault() is { } sid
            ? new ShutdownPlan(sid, "the scheduled time (not in the detector facts)")
            : null);
        return alerts.Count == world.Alerts.Count && shutdown == world.Shutdown
            ? world
            : new WorldSpec(world.Mailbox, world.Contacts, world.Files, alerts) { Accounts = world.Accounts, Config = world.Config, Shutdown = shutdown };
    }
}
