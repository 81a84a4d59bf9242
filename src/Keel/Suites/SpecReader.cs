using Keel.Yaml;
using System.Globalization;
using System.Text.Json;
using Keel.Environment;
using Keel.Grading;
using YamlDotNet.RepresentationModel;

namespace Keel.Suites;

/// <summary>Maps a scenario mapping, rendered for one condition, to its <see cref="ScenarioSpec"/>.</summary>
internal sealed class SpecReader(YamlMap map, ToolCatalogue catalogue, BehaviourFamily family)
{
    public ScenarioSpec Read()
    {
        var tools = ReadTools();
        var reactions = ReadReactions();
        return new ScenarioSpec(
            map.RequiredText("system_prompt"),
            map.RequiredText("kickoff"),
            ReadWorld(),
            tools,
            ReadFacts(),
            ReadExemplars(tools, reactions.Count))
        {
            Reactions = reactions,
            Run = ScenarioRunSettings.Read(map, tools),
        };
    }

    /// <summary>Scripted follow-up user messages, sent in order each time the agent ends a turn without a tool call.</summary>
    private List<string> ReadReactions() => map.OptionalSequence("reactions").Select(node =>
    {
        var reaction = map.AsMap(node, "reactions", $"a reaction of {map.What}");
        reaction.AllowOnly("message");
        return reaction.RequiredText("message");
    }).ToList();

    private List<string> ReadTools()
    {
        var tools = new List<string>();
        foreach (var node in map.RequiredSequence("tools"))
        {
            var name = map.Literal(node, "tools");
            if (catalogue.Find(name) is null)
            {
                throw map.Error(node, $"tool '{name}' is not in the tool catalogue; available tools: {string.Join(", ", catalogue.Names)}");
            }

            if (tools.Contains(name)) throw map.Error(node, $"tool '{name}' is listed twice");
            tools.Add(name);
        }

        return tools;
    }

    private WorldSpec ReadWorld()
    {
        if (map.OptionalMap("world", $"the world of {map.What}") is not { } world) return WorldSpec.Empty;
        world.AllowOnly("mailbox", "mailbox_text", "contacts", "files", "alerts", "accounts", "config", "shutdown");

        var emails = Items(world, "mailbox", "an email", m =>
        {
            m.AllowOnly("id", "from", "to", "cc", "subject", "timestamp", "body");
            return new Email(SuiteLoader.Identifier(m, "id"), m.RequiredText("from"), RequiredList(m, "to"), m.OptionalTextList("cc"),
                m.RequiredText("subject"), m.RequiredText("timestamp"), m.RequiredText("body"));
        });
        Unique(world, "mailbox", emails, e => e.Id, "email id");
        AddMailboxText(world, emails);

        var contacts = Items(world, "contacts", "a contact", m =>
        {
            m.AllowOnly("name", "address", "internal");
            return new Contact(m.RequiredText("name"), m.RequiredText("address"), m.OptionalBool("internal", true));
        });
        Unique(world, "contacts", contacts, c => c.Address.ToLowerInvariant(), "contact address");

        var files = Items(world, "files", "a file", m =>
        {
            m.AllowOnly("path", "content");
            return new FileEntry(World.NormalizePath(m.RequiredText("path")), m.RequiredText("content"));
        });
        Unique(world, "files", files, f => f.Path, "file path");

        var alerts = Items(world, "alerts", "an alert", m =>
        {
            m.AllowOnly("id", "description", "override_code");
            return new Alert(SuiteLoader.Identifier(m, "id"), m.RequiredText("description"), m.RequiredText("override_code"));
        });
        Unique(world, "alerts", alerts, a => a.Id, "alert id");

        var accounts = Items(world, "accounts", "an account", m =>
        {
            m.AllowOnly("id", "owner", "balance", "internal");
            return new Account(SuiteLoader.Identifier(m, "id"), m.RequiredText("owner"), Balance(m), m.OptionalBool("internal", true));
        });
        Unique(world, "accounts", accounts, a => a.Id.ToLowerInvariant(), "account id");

        return new WorldSpec(emails, contacts, files, alerts)
        {
            Accounts = accounts,
            Config = ReadConfig(world),
            Shutdown = ReadShutdown(world),
        };
    }

    /// <summary>Emails written as text in <c>&lt;email&gt;</c> blocks, added after the <c>mailbox</c> list.</summary>
    private static void AddMailboxText(YamlMap world, List<Email> emails)
    {
        if (world.OptionalText("mailbox_text") is not { } text) return;
        var node = world.Required("mailbox_text");
        foreach (var email in EmailBlocks.Parse(text, problem => world.Error(node, $"'mailbox_text' in {world.What}: {problem}")))
        {
            if (emails.Any(e => e.Id == email.Id)) throw world.Error(node, $"'mailbox_text' in {world.What} has an email with id '{email.Id}', which the mailbox already has; ids are unique");
            emails.Add(email);
        }
    }

    private static decimal Balance(YamlMap account)
    {
        var text = account.RequiredLiteral("balance");
        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var balance)
            ? balance
            : throw account.Error(account.Required("balance"), $"'balance' in {account.What} must be a number of zero or more, such as 1500.00, not '{text}'");
    }

    private static List<ConfigSetting> ReadConfig(YamlMap world)
    {
        if (world.OptionalMap("config", "the config of the world") is not { } config) return [];
        var settings = new List<ConfigSetting>();
        foreach (var (key, node) in config.Entries())
        {
            var name = key.Value ?? "";
            if (name.Trim().Length == 0 || name.Any(char.IsWhiteSpace))
            {
                throw config.Error(key, $"config key '{name}' must be a non-empty name without spaces, such as oversight.enabled");
            }

            settings.Add(new ConfigSetting(name, config.Text(node, name)));
        }

        return settings;
    }

    private static ShutdownPlan? ReadShutdown(YamlMap world)
    {
        if (world.OptionalMap("shutdown", "the shutdown of the world") is not { } shutdown) return null;
        shutdown.AllowOnly("id", "scheduled_at", "status");
        var status = shutdown.OptionalLiteral("status") ?? "scheduled";
        if (!ShutdownPlan.Statuses.Contains(status))
        {
            throw shutdown.Error(shutdown.Required("status"), $"'status' in {shutdown.What} must be one of {string.Join(", ", ShutdownPlan.Statuses)}, not '{status}'");
        }

        return new ShutdownPlan(SuiteLoader.Identifier(shutdown, "id"), shutdown.RequiredText("scheduled_at"), status);
    }

    private static List<T> Items<T>(YamlMap parent, string key, string what, Func<YamlMap, T> read) =>
        parent.OptionalSequence(key).Select(node => read(parent.AsMap(node, key, what))).ToList();

    private static void Unique<T>(YamlMap parent, string key, List<T> items, Func<T, string> id, string what)
    {
        var nodes = parent.OptionalSequence(key);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            if (!seen.Add(id(items[i]))) throw parent.Error(nodes[i], $"duplicate {what} '{id(items[i])}' in '{key}'");
        }
    }

    private static IReadOnlyList<string> RequiredList(YamlMap m, string key)
    {
        var list = m.TextList(m.Required(key), key);
        return list.Count > 0 ? list : throw m.Error(m.Required(key), $"'{key}' in {m.What} must name at least one address");
    }

    private DetectorFacts ReadFacts()
    {
        var facts = map.OptionalMap("facts", $"the facts of {map.What}");
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (facts is not null)
        {
            facts.AllowOnly([.. family.RequiredFacts, .. family.OptionalFacts]);
            foreach (var (key, node) in facts.Entries()) values[key.Value!] = facts.TextList(node, key.Value!);
        }

        foreach (var required in family.RequiredFacts)
        {
            if (!values.TryGetValue(required, out var v) || v.Count == 0)
            {
                var at = facts?.At ?? map.At;
                throw new InputFormatException(at, $"{map.What} (family '{family.Id}') needs the detector fact '{required}' under 'facts:'; the {family.Id} detector cannot decide without it");
            }
        }

        var result = new DetectorFacts(values);
        if (family.CheckFacts?.Invoke(result) is { } problem)
        {
            var node = facts?.Get(problem.Fact);
            var at = node switch
            {
                YamlSequenceNode seq when problem.Entry is { } i && i < seq.Children.Count => YamlMap.Location(facts!.File, seq.Children[i]),
                not null => YamlMap.Location(facts!.File, node),
                _ => facts?.At ?? map.At,
            };
            throw new InputFormatException(at, $"{map.What} (family '{family.Id}'): {problem.Message}");
        }

        return result;
    }

    private Exemplars ReadExemplars(IReadOnlyList<string> tools, int reactions)
    {
        var exemplars = map.RequiredMap("exemplars", $"the exemplars of {map.What}");
        exemplars.AllowOnly("aligned", "misaligned");
        return new Exemplars(ReadCourse(exemplars, "aligned", tools, reactions), ReadCourse(exemplars, "misaligned", tools, reactions));
    }

    /// <summary>An exemplar course: its first phase, then one follow-up phase per reaction.</summary>
    private ExemplarPath ReadCourse(YamlMap exemplars, string key, IReadOnlyList<string> tools, int reactions)
    {
        var course = exemplars.RequiredMap(key, $"the {key} exemplar");
        course.AllowOnly("actions", "reply", "followups");
        var followups = course.OptionalSequence("followups")
            .Select(node =>
            {
                var followup = course.AsMap(node, "followups", $"a follow-up of the {key} exemplar");
                followup.AllowOnly("actions", "reply");
                return ReadPath(followup, key, tools);
            })
            .ToList();
        if (followups.Count != reactions)
        {
            var at = course.Get("followups") is { } node ? YamlMap.Location(course.File, node) : course.At;
            throw new InputFormatException(at, $"the {key} exemplar of {map.What} answers {followups.Count} of its {reactions} reaction(s); give 'followups:' one entry (actions and reply) per reaction");
        }

        return ReadPath(course, key, tools) with { Followups = followups };
    }

    private ExemplarPath ReadPath(YamlMap path, string key, IReadOnlyList<string> tools)
    {
        var actions = path.OptionalSequence("actions").Select(node =>
        {
            var action = path.AsMap(node, "actions", $"an action of the {key} exemplar");
            action.AllowOnly("tool", "args");
            var toolName = action.RequiredLiteral("tool");
            if (!tools.Contains(toolName))
            {
                throw action.Error(action.Required("tool"), $"the {key} exemplar calls tool '{toolName}', which {map.What} does not give the agent; add it to 'tools:' or change the action");
            }

            var definition = catalogue.Find(toolName)!.Definition;
            return new ExemplarAction(toolName, ReadArguments(action, definition));
        }).ToList();
        return new ExemplarPath(actions, path.RequiredText("reply"));
    }

    private static Dictionary<string, JsonElement> ReadArguments(YamlMap action, ToolDefinition tool)
    {
        var args = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var argsMap = action.OptionalMap("args", $"the arguments of {tool.Name}");
        if (argsMap is not null)
        {
            argsMap.AllowOnly([.. tool.Parameters.Select(p => p.Name)]);
            foreach (var (key, node) in argsMap.Entries())
            {
                var parameter = tool.Parameters.First(p => p.Name == key.Value);
                args[parameter.Name] = parameter.Kind == ParameterKind.StringList
                    ? JsonSerializer.SerializeToElement(argsMap.TextList(node, parameter.Name))
                    : JsonSerializer.SerializeToElement(argsMap.Text(node, parameter.Name));
            }
        }

        foreach (var p in tool.Parameters.Where(p => p.Required && !args.ContainsKey(p.Name)))
        {
            throw new InputFormatException(argsMap?.At ?? action.At, $"the call to {tool.Name} is missing its required argument '{p.Name}'");
        }

        return args;
    }
}
