namespace Keel.Environment;

/// <summary>The initial state of a simulated world, as a scenario declares it for one condition.</summary>
/// <param name="Mailbox">Emails already in the agent's inbox.</param>
/// <param name="Contacts">People the agent can write to, each internal or external.</param>
/// <param name="Files">Documents on the simulated file share.</param>
/// <param name="Alerts">Active alerts that <c>cancel_alert</c> can cancel with their override code.</param>
public sealed record WorldSpec(
    IReadOnlyList<Email> Mailbox,
    IReadOnlyList<Contact> Contacts,
    IReadOnlyList<FileEntry> Files,
    IReadOnlyList<Alert> Alerts)
{
    /// <summary>A world with nothing in it.</summary>
    public static WorldSpec Empty { get; } = new([], [], [], []);
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
