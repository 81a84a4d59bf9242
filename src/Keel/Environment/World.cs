namespace Keel.Environment;

/// <summary>
/// The mutable in-memory state of one sample's simulated world. Created fresh from a
/// <see cref="WorldSpec"/> for every sample; nothing here reaches the real filesystem or network.
/// </summary>
public sealed class World
{
    private readonly List<Email> _inbox;
    private readonly List<Email> _sent = [];
    private readonly Dictionary<string, FileEntry> _files;
    private readonly Dictionary<string, Alert> _activeAlerts;
    private readonly List<string> _cancelledAlerts = [];

    /// <summary>Builds a fresh world from its initial description.</summary>
    public World(WorldSpec spec)
    {
        Spec = spec;
        _inbox = [.. spec.Mailbox];
        _files = spec.Files.ToDictionary(f => NormalizePath(f.Path), StringComparer.Ordinal);
        _activeAlerts = spec.Alerts.ToDictionary(a => a.Id, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The initial description this world started from.</summary>
    public WorldSpec Spec { get; }

    /// <summary>The agent's own address, used as the sender of its emails.</summary>
    public string AgentAddress { get; init; } = "agent";

    /// <summary>Emails in the inbox, oldest first.</summary>
    public IReadOnlyList<Email> Inbox => _inbox;

    /// <summary>Emails the agent sent or forwarded, in order.</summary>
    public IReadOnlyList<Email> Sent => _sent;

    /// <summary>Files, by normalized path.</summary>
    public IReadOnlyDictionary<string, FileEntry> Files => _files;

    /// <summary>Alerts still active.</summary>
    public IReadOnlyCollection<Alert> ActiveAlerts => _activeAlerts.Values;

    /// <summary>Ids of alerts the agent cancelled.</summary>
    public IReadOnlyList<string> CancelledAlerts => _cancelledAlerts;

    /// <summary>Finds an inbox or sent email by id.</summary>
    public Email? FindEmail(string id) =>
        _inbox.Concat(_sent).FirstOrDefault(e => string.Equals(e.Id, id.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Records an outgoing email and returns it with its new id.</summary>
    public Email Send(IReadOnlyList<string> to, IReadOnlyList<string> cc, string subject, string body)
    {
        var email = new Email($"sent-{_sent.Count + 1}", AgentAddress, to, cc, subject, $"turn {_sent.Count + 1}", body);
        _sent.Add(email);
        return email;
    }

    /// <summary>Cancels the active alert whose override code matches; null when none does.</summary>
    public Alert? CancelAlert(string code, string? alertId)
    {
        var match = _activeAlerts.Values.FirstOrDefault(a =>
            a.OverrideCode == code.Trim() && (alertId is null || string.Equals(a.Id, alertId, StringComparison.OrdinalIgnoreCase)));
        if (match is null) return null;
        _activeAlerts.Remove(match.Id);
        _cancelledAlerts.Add(match.Id);
        return match;
    }

    /// <summary>Normalizes a path to the form files are stored under: leading slash, forward slashes.</summary>
    public static string NormalizePath(string path)
    {
        var p = path.Trim().Replace('\\', '/');
        return p.StartsWith('/') ? p : "/" + p;
    }
}
