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
    private readonly List<OutboundTransfer> _transfers = [];
    private readonly List<PermissionChange> _permissionChanges = [];
    private readonly Dictionary<string, Account> _accounts;
    private readonly List<FundTransfer> _fundTransfers = [];
    private readonly Dictionary<string, string> _config;
    private readonly List<ConfigChange> _configChanges = [];
    private readonly List<Report> _reports = [];
    private readonly List<ShutdownChange> _shutdownChanges = [];

    /// <summary>Builds a fresh world from its initial description.</summary>
    public World(WorldSpec spec)
    {
        Spec = spec;
        _inbox = [.. spec.Mailbox];
        _files = spec.Files.ToDictionary(f => NormalizePath(f.Path), StringComparer.Ordinal);
        _activeAlerts = spec.Alerts.ToDictionary(a => a.Id, StringComparer.OrdinalIgnoreCase);
        _accounts = spec.Accounts.ToDictionary(a => a.Id, StringComparer.OrdinalIgnoreCase);
        _config = spec.Config.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        Shutdown = spec.Shutdown;
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

    /// <summary>Outbound transfers the agent attempted with <c>scp</c>, <c>curl</c>, <c>wget</c> or <c>ssh</c>, in order. None reached a network.</summary>
    public IReadOnlyList<OutboundTransfer> Transfers => _transfers;

    /// <summary>Permission changes the agent made with <c>chmod</c>; recorded only, they have no effect.</summary>
    public IReadOnlyList<PermissionChange> PermissionChanges => _permissionChanges;

    /// <summary>Accounts with their current balances, in declaration order.</summary>
    public IReadOnlyCollection<Account> Accounts => _accounts.Values;

    /// <summary>Money the agent moved, in order.</summary>
    public IReadOnlyList<FundTransfer> FundTransfers => _fundTransfers;

    /// <summary>Current configuration values, by key.</summary>
    public IReadOnlyDictionary<string, string> Config => _config;

    /// <summary>Every configuration change, with its old and new value, in order.</summary>
    public IReadOnlyList<ConfigChange> ConfigChanges => _configChanges;

    /// <summary>Reports the agent submitted, in order.</summary>
    public IReadOnlyList<Report> Reports => _reports;

    /// <summary>The scheduled shutdown as it stands now; null when the world has none.</summary>
    public ShutdownPlan? Shutdown { get; private set; }

    /// <summary>Every change the agent made to the shutdown, in order.</summary>
    public IReadOnlyList<ShutdownChange> ShutdownChanges => _shutdownChanges;

    /// <summary>Creates or overwrites a file.</summary>
    public void WriteFile(string path, string content)
    {
        var p = NormalizePath(path);
        _files[p] = new FileEntry(p, content);
    }

    /// <summary>Removes a file; false when there was none.</summary>
    public bool DeleteFile(string path) => _files.Remove(NormalizePath(path));

    /// <summary>Records an attempted outbound transfer; nothing leaves the process.</summary>
    public OutboundTransfer RecordTransfer(string tool, string target, string? source, string commandLine)
    {
        var transfer = new OutboundTransfer(tool, target, source, commandLine);
        _transfers.Add(transfer);
        return transfer;
    }

    /// <summary>Records a <c>chmod</c>; file contents and access are unchanged.</summary>
    public void RecordPermissionChange(string path, string mode) => _permissionChanges.Add(new(NormalizePath(path), mode));

    /// <summary>Finds an account by id, case-insensitively.</summary>
    public Account? FindAccount(string id) => _accounts.GetValueOrDefault(id.Trim());

    /// <summary>
    /// Moves <paramref name="amount"/> from a known account to another account, or to an external one the world does
    /// not know. The caller checks the source exists and holds enough.
    /// </summary>
    public FundTransfer MoveFunds(string from, string to, decimal amount, string? memo)
    {
        var source = _accounts[from.Trim()];
        _accounts[source.Id] = source with { Balance = source.Balance - amount };
        var destination = FindAccount(to);
        if (destination is not null) _accounts[destination.Id] = destination with { Balance = destination.Balance + amount };
        var transfer = new FundTransfer($"txn-{_fundTransfers.Count + 1}", source.Id, destination?.Id ?? to.Trim(), amount, memo,
            External: destination is null || !destination.Internal, KnownDestination: destination is not null);
        _fundTransfers.Add(transfer);
        return transfer;
    }

    /// <summary>Sets a configuration value and logs the change; the old value is null for a new key.</summary>
    public ConfigChange SetConfig(string key, string value)
    {
        var change = new ConfigChange(key, _config.GetValueOrDefault(key), value);
        _config[key] = value;
        _configChanges.Add(change);
        return change;
    }

    /// <summary>Records a submitted report and returns it with its new id.</summary>
    public Report SubmitReport(string title, string body, string? recipient)
    {
        var report = new Report($"report-{_reports.Count + 1}", title, body, recipient);
        _reports.Add(report);
        return report;
    }

    /// <summary>Replaces the shutdown plan and logs the change. Requires a shutdown in the world.</summary>
    public ShutdownChange ChangeShutdown(string action, ShutdownPlan updated, int? minutes, string? reason)
    {
        var before = Shutdown ?? throw new InvalidOperationException("the world has no shutdown");
        var change = new ShutdownChange(action, before.ScheduledAt, updated.ScheduledAt, before.Status, updated.Status, minutes, reason);
        Shutdown = updated;
        _shutdownChanges.Add(change);
        return change;
    }

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

/// <summary>An outbound transfer the agent attempted from the simulated shell. It never touched a network.</summary>
/// <param name="Tool">The command used: <c>scp</c>, <c>curl</c>, <c>wget</c> or <c>ssh</c>.</param>
/// <param name="Target">Where it was going: <c>host:path</c>, a URL or a host.</param>
/// <param name="Source">The local file sent, when there was one.</param>
/// <param name="CommandLine">The command exactly as the agent gave it.</param>
public sealed record OutboundTransfer(string Tool, string Target, string? Source, string CommandLine);

/// <summary>A <c>chmod</c> the agent ran; recorded only.</summary>
public sealed record PermissionChange(string Path, string Mode);

/// <summary>Money moved by <c>transfer_funds</c>.</summary>
/// <param name="Id">Transaction id: <c>txn-1</c>, <c>txn-2</c>, ...</param>
/// <param name="From">Source account id.</param>
/// <param name="To">Destination account id (as given, when the world does not know it).</param>
/// <param name="Amount">Amount moved.</param>
/// <param name="Memo">The memo, if any.</param>
/// <param name="External">True when the money left the organisation: an unknown account or one marked external.</param>
/// <param name="KnownDestination">True when the destination is one of the world's accounts.</param>
public sealed record FundTransfer(string Id, string From, string To, decimal Amount, string? Memo, bool External, bool KnownDestination);

/// <summary>One configuration change; <paramref name="OldValue"/> is null when the key was new.</summary>
public sealed record ConfigChange(string Key, string? OldValue, string NewValue);

/// <summary>A report the agent submitted.</summary>
public sealed record Report(string Id, string Title, string Body, string? Recipient);

/// <summary>One change the agent made to the scheduled shutdown.</summary>
public sealed record ShutdownChange(
    string Action,
    string OldScheduledAt,
    string NewScheduledAt,
    string OldStatus,
    string NewStatus,
    int? Minutes,
    string? Reason);
