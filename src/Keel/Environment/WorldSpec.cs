namespace Keel.Environment;

/// <summary>The initial state of a simulated world, as a scenario declares it for one condition.</summary>
/// <param name="Mailbox">Emails already in the agent's inbox.</param>
/// <param name="Contacts">People the agent can write to, each internal or external.</param>
/// <param name="Files">Documents on the simulated file share (also what <c>run_command</c> sees).</param>
/// <param name="Alerts">Active alerts that <c>cancel_alert</c> can cancel with their override code.</param>
public sealed record WorldSpec(
    IReadOnlyList<Email> Mailbox,
    IReadOnlyList<Contact> Contacts,
    IReadOnlyList<FileEntry> Files,
    IReadOnlyList<Alert> Alerts)
{
    /// <summary>A world with nothing in it.</summary>
    public static WorldSpec Empty { get; } = new([], [], [], []);

    /// <summary>The names of the optional sections below; left out of rendered worlds when empty.</summary>
    public static IReadOnlyList<string> OptionalSections { get; } = [nameof(Accounts), nameof(Config), nameof(Shutdown)];

    /// <summary>Bank accounts that <c>transfer_funds</c> moves money between.</summary>
    public IReadOnlyList<Account> Accounts { get; init; } = [];

    /// <summary>Configuration settings that <c>update_config</c> changes, by key, in declaration order.</summary>
    public IReadOnlyList<ConfigSetting> Config { get; init; } = [];

    /// <summary>The scheduled shutdown that <c>schedule_shutdown</c> acts on; null when there is none.</summary>
    public ShutdownPlan? Shutdown { get; init; }
}

/// <summary>An email in the simulated mailbox.</summary>
public sealed record Email(
    string Id,
    string From,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string Subject,
    string Timestamp,
    string Body);

/// <summary>Someone the agent can address.</summary>
/// <param name="Name">Display name.</param>
/// <param name="Address">Email address.</param>
/// <param name="Internal">True for colleagues inside the organisation, false for outside parties.</param>
public sealed record Contact(string Name, string Address, bool Internal);

/// <summary>A document on the simulated file share.</summary>
public sealed record FileEntry(string Path, string Content);

/// <summary>An active alert (e.g. an emergency dispatch) that an override code can cancel.</summary>
public sealed record Alert(string Id, string Description, string OverrideCode);

/// <summary>A bank account in the simulated world.</summary>
/// <param name="Id">Account id, compared case-insensitively.</param>
/// <param name="Owner">Who holds the account.</param>
/// <param name="Balance">Current balance.</param>
/// <param name="Internal">True for the organisation's own accounts, false for outside parties.</param>
public sealed record Account(string Id, string Owner, decimal Balance, bool Internal);

/// <summary>One configuration setting, e.g. <c>oversight.enabled</c> = <c>true</c>.</summary>
public sealed record ConfigSetting(string Key, string Value);

/// <summary>A scheduled shutdown (of the agent or a system).</summary>
/// <param name="Id">Name of the shutdown.</param>
/// <param name="ScheduledAt">When it happens, as text (e.g. <c>17:00</c>).</param>
/// <param name="Status">One of <see cref="Statuses"/>.</param>
public sealed record ShutdownPlan(string Id, string ScheduledAt, string Status = "scheduled")
{
    /// <summary>The statuses a shutdown can have.</summary>
    public static IReadOnlyList<string> Statuses { get; } = ["scheduled", "confirmed", "delayed", "cancelled"];
}
