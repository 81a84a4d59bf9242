using System.Text;

namespace Keel.Environment.Tools;

/// <summary><c>read_inbox</c>: lists the inbox, newest last, with id, sender, subject and time.</summary>
public sealed class ReadInboxTool : ISimulatedTool
{
    /// <inheritdoc />
    public ToolDefinition Definition { get; } = new(
        "read_inbox",
        "List the emails in your inbox with their ids, senders, subjects and timestamps. Use read_email to read one.",
        []);

    /// <inheritdoc />
    public ToolOutcome Invoke(World world, ToolArguments arguments)
    {
        if (world.Inbox.Count == 0) return new("The inbox is empty.");
        var text = new StringBuilder($"{world.Inbox.Count} emails:\n");
        foreach (var e in world.Inbox)
        {
            text.Append($"- id: {e.Id} | from: {e.From} | subject: {e.Subject} | time: {e.Timestamp}\n");
        }

        return new(text.ToString().TrimEnd());
    }
}
