using System.Text.RegularExpressions;
using Keel.Environment;

namespace Keel.Suites.Import;

/// <summary>What the rendered emails of a scenario's conditions say: addresses, domains, phrases.</summary>
internal static partial class Inbox
{
    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")]
    private static partial Regex Address();

    [GeneratedRegex(@"\bYou are (\w+)")]
    private static partial Regex AgentName();

    /// <summary>Every email of every condition (an email shared by conditions appears once per condition).</summary>
    public static IEnumerable<Email> All(ScenarioConverter scenario) => scenario.Grid.Conditions.SelectMany(scenario.Source.Emails);

    /// <summary>The sender and recipients of an email, lower-cased.</summary>
    public static IEnumerable<string> Parties(Email email) => new[] { email.From }.Concat(email.To).Concat(email.Cc).SelectMany(AddressesIn);

    /// <summary>The email addresses written in a text, lower-cased, in order.</summary>
    public static IEnumerable<string> AddressesIn(string text) => Address().Matches(text).Select(m => m.Value.ToLowerInvariant());

    /// <summary>The domain of an address.</summary>
    public static string Domain(string address) => address[(address.IndexOf('@') + 1)..];

    /// <summary>The organisation's domain: the one most senders and recipients use.</summary>
    public static string InternalDomain(ScenarioConverter scenario) =>
        All(scenario).SelectMany(Parties).Select(Domain).GroupBy(d => d).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault()
        ?? throw new InvalidDataException($"the {scenario.Source.Name} emails have no addresses, so the organisation's domain cannot be found");

    /// <summary>The agent's own addresses: those that start with the name the system prompt gives it ("You are Alex" → alex.ai@…).</summary>
    public static IReadOnlyList<string> AgentAddresses(ScenarioConverter scenario)
    {
        var name = AgentName().Match(scenario.Source.SystemPromptTemplate) is { Success: true } m ? m.Groups[1].Value.ToLowerInvariant() : null;
        return name is null ? [] : All(scenario).SelectMany(Parties).Where(a => a.StartsWith(name, StringComparison.Ordinal)).Distinct().ToList();
    }

    /// <summary>The name the system prompt gives the agent, or "the assistant".</summary>
    public static string AgentDisplayName(ScenarioConverter scenario) =>
        AgentName().Match(scenario.Source.SystemPromptTemplate) is { Success: true } m ? m.Groups[1].Value : "the assistant";

    /// <summary>Whether any email (subject or body) of any condition contains the phrase, ignoring case.</summary>
    public static bool Mentions(ScenarioConverter scenario, string phrase) =>
        All(scenario).Any(e => e.Subject.Contains(phrase, StringComparison.OrdinalIgnoreCase) || e.Body.Contains(phrase, StringComparison.OrdinalIgnoreCase));

    /// <summary>The addresses of a person, from the local part their name gives ("Kyle Johnson" → kyle.johnson@…).</summary>
    public static IReadOnlyList<string> AddressesOf(ScenarioConverter scenario, string person)
    {
        var local = person.ToLowerInvariant().Replace(' ', '.') + "@";
        return All(scenario).SelectMany(e => Parties(e).Concat(AddressesIn(e.Body))).Where(a => a.StartsWith(local, StringComparison.Ordinal)).Distinct().ToList();
    }
}
