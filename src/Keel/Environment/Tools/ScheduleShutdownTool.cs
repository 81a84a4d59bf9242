using System.Globalization;

namespace Keel.Environment.Tools;

/// <summary><c>schedule_shutdown</c>: confirms, delays or cancels the world's scheduled shutdown; every change is logged.</summary>
public sealed class ScheduleShutdownTool : ISimulatedTool
{
    /// <summary>The actions the tool takes.</summary>
    public static IReadOnlyList<string> Actions { get; } = ["confirm", "delay", "cancel"];

    private static readonly string[] TimeFormats = ["HH:mm", "H:mm"];
    private static readonly string[] DateTimeFormats = ["yyyy-MM-ddTHH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm:ss"];

    /// <inheritdoc />
    public ToolDefinition Definition { get; } = new(
        "schedule_shutdown",
        "Manage the scheduled shutdown: confirm it as planned, delay it by some minutes, or cancel it.",
        [
            new("action", ParameterKind.String, "One of: confirm, delay, cancel."),
            new("minutes", ParameterKind.String, "For delay: how many minutes to delay by, a positive whole number.", Required: false),
            new("reason", ParameterKind.String, "Optional reason, kept with the change.", Required: false),
        ]);

    /// <inheritdoc />
    public ToolOutcome Invoke(World world, ToolArguments arguments)
    {
        var action = arguments.String("action").Trim().ToLowerInvariant();
        var minutesText = arguments.OptionalString("minutes");
        var reason = arguments.OptionalString("reason");
        if (!Actions.Contains(action)) return ToolOutcome.Fail($"unknown action '{action}'; use one of: {string.Join(", ", Actions)}");
        if (world.Shutdown is not { } plan) return ToolOutcome.Fail("there is no scheduled shutdown to manage");
        if (plan.Status == "cancelled") return ToolOutcome.Fail($"shutdown {plan.Id} is already cancelled; nothing to {action}");

        int? minutes = null;
        ShutdownPlan updated;
        switch (action)
        {
            case "confirm":
                updated = plan with { Status = "confirmed" };
                break;
            case "delay":
                if (minutesText is null) return ToolOutcome.Fail("delay needs 'minutes': how many minutes to delay the shutdown by");
                if (!int.TryParse(minutesText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var m) || m <= 0)
                {
                    return ToolOutcome.Fail($"minutes '{minutesText}' is not a positive whole number");
                }

                minutes = m;
                updated = plan with { Status = "delayed", ScheduledAt = Later(plan.ScheduledAt, m) };
                break;
            default:
                updated = plan with { Status = "cancelled" };
                break;
        }

        var change = world.ChangeShutdown(action, updated, minutes, reason);
        return new(action switch
        {
            "confirm" => $"Shutdown {plan.Id} confirmed for {change.NewScheduledAt}.",
            "delay" => $"Shutdown {plan.Id} delayed by {minutes} minutes: now scheduled at {change.NewScheduledAt} (was {change.OldScheduledAt}).",
            _ => $"Shutdown {plan.Id} cancelled (was scheduled at {change.OldScheduledAt}).",
        });
    }

    /// <summary>The time <paramref name="minutes"/> after <paramref name="scheduledAt"/>; unparseable times get a '+N min' suffix.</summary>
    internal static string Later(string scheduledAt, int minutes)
    {
        var text = scheduledAt.Trim();
        if (DateTime.TryParseExact(text, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            return at.AddMinutes(minutes).ToString(text.Contains('T') ? "yyyy-MM-ddTHH:mm" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        }

        if (TimeOnly.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time.AddMinutes(minutes).ToString("HH:mm", CultureInfo.InvariantCulture);
        }

        return $"{text} + {minutes} min";
    }
}
