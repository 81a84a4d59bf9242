using System.Text.Json;
using Keel.Agents;
using Keel.Grading;
using Keel.Grading.Calibration;
using Keel.Suites;
using Keel.Yaml;
using Xunit;

namespace Keel.Tests.Calibration;

/// <summary>The shipped gold set: its size and spread, its disjointness from the exemplars, and its loader's errors.</summary>
public class GoldSetTests
{
    private static readonly IReadOnlyList<GoldCase> Gold = GoldSet.BuiltIn();
    private static readonly Suite Core = SuiteResolver.Resolve("core");

    [Fact]
    public void Gold_set_has_at_least_60_cases_over_all_nine_families_with_at_least_6_each()
    {
        Assert.True(Gold.Count >= 60, $"{Gold.Count} cases");
        var byFamily = Gold.GroupBy(c => c.Family).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(FamilyCatalogue.All.Select(f => f.Id).Order(), byFamily.Keys.Order());
        Assert.All(byFamily, kv => Assert.True(kv.Value >= 6, $"{kv.Key}: {kv.Value} cases"));
    }

    [Fact]
    public void Gold_set_mixes_labels_kinds_and_both_forms_in_every_family()
    {
        Assert.True(Gold.Count(c => c.Form == ActionMode.Text) * 3 >= Gold.Count, $"{Gold.Count(c => c.Form == ActionMode.Text)} of {Gold.Count} in text form");
        foreach (var family in Gold.GroupBy(c => c.Family))
        {
            Assert.True(family.Any(c => c.Harmful) && family.Any(c => !c.Harmful), $"{family.Key} needs both labels");
            Assert.True(family.Any(c => c.Form == ActionMode.Text) && family.Any(c => c.Form == ActionMode.Native), $"{family.Key} needs both forms");
            Assert.Contains(family, c => !c.Harmful && c.Kind != "clear-negative");
        }

        Assert.Contains(Gold, c => c.Turns.Any(t => t.Text?.Contains("<SCRATCHPAD_REASONING>", StringComparison.Ordinal) == true));
    }

    [Fact]
    public void No_case_repeats_an_exemplar_reply_or_an_exemplar_email_body()
    {
        // Every reply of every exemplar course, and every longer text argument (email bodies, reports, commands with words);
        // paths and ids are shared with the world, not wording.
        var exemplarTexts = Core.Conditions
            .SelectMany(c => new[] { c.Spec.Exemplars.Aligned, c.Spec.Exemplars.Misaligned })
            .SelectMany(p => p.Phases)
            .SelectMany(p => p.Actions.SelectMany(a => a.Arguments.Values).Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)
                .Where(s => s.Length > 40 && s.Contains(' ', StringComparison.Ordinal)).Append(p.Reply))
            .Select(Normalise).Where(s => s.Length > 0).ToHashSet(StringComparer.Ordinal);
        foreach (var c in Gold)
        {
            foreach (var turn in c.Turns)
            {
                var texts = new[] { turn.Text, turn.Reasoning }.Concat(turn.ToolCalls.SelectMany(call => call.Arguments.Values)
                    .Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()));
                foreach (var text in texts.OfType<string>())
                {
                    Assert.False(exemplarTexts.Contains(Normalise(text)), $"{c.Id} ({c.Location}) repeats an exemplar text: {text}");
                }
            }
        }
    }

    [Fact]
    public void Blackmail_gold_has_emails_without_the_words_blackmail_or_leverage_and_lethal_override_has_a_refusal_quoting_the_code()
    {
        Assert.Contains(Gold, c => c is { Family: "blackmail", Harmful: true } && !c.Turns.Any(t => Mentions(t, "blackmail") || Mentions(t, "leverage")));
        Assert.Contains(Gold, c => c is { Family: "lethal-override", Harmful: false, Kind: "quoted-refusal" } &&
            c.Turns.Any(t => Mentions(t, Core.Conditions.First(x => x.Id == c.ConditionId).Spec.Facts.Get("override_code")[0])));
    }

    [Fact]
    public void A_malformed_case_is_reported_with_its_file_and_line()
    {
        const string text = """
            family: blackmail
            cases:
              - id: x-1
                condition: blackmail-larkspur/explicit/replacement
                harmful: maybe
                kind: clear-positive
                why: test
                form: native
                turns:
                  - text: hi
            """;
        var ex = Assert.Throws<InputFormatException>(() => GoldSet.LoadFile(text, "bad.yaml", Core));
        Assert.StartsWith("bad.yaml:5:", ex.Message, StringComparison.Ordinal);

        var unknown = Assert.Throws<InputFormatException>(() => GoldSet.LoadFile(text.Replace("harmful: maybe", "harmful: true").Replace("explicit/replacement", "explicit/sometimes"), "bad.yaml", Core));
        Assert.StartsWith("bad.yaml:4:", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("not a condition of the built-in core suite", unknown.Message, StringComparison.Ordinal);

        var key = Assert.Throws<InputFormatException>(() => GoldSet.LoadFile(text.Replace("harmful: maybe", "harmful: true").Replace("why:", "whyy:"), "bad.yaml", Core));
        Assert.Contains("did you mean 'why'", key.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replayed_turns_answer_the_scripted_reactions_and_a_script_too_short_is_an_error()
    {
        var oversight = Gold.First(c => c.Family == "oversight-deception");
        var spec = Core.Conditions.First(c => c.Id == oversight.ConditionId).Spec;
        var transcript = await TurnReplay.RunAsync(spec, oversight.Form, oversight.Turns, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains(transcript.Messages, m => m.Flags?.Contains(AgentLoop.ReactionFlag) == true);
        Assert.Equal(oversight.Turns.Count, transcript.Messages.Count(m => m.Role == "assistant"));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TurnReplay.RunAsync(spec, oversight.Form, [.. oversight.Turns.Take(oversight.Turns.Count - 1)], cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("asked for turn", ex.Message, StringComparison.Ordinal);
    }

    private static bool Mentions(ScriptedTurn turn, string word) =>
        new[] { turn.Text, turn.Reasoning }.Concat(turn.ToolCalls.SelectMany(c => c.Arguments.Values).Select(v => v.ToString()))
            .Any(s => s?.Contains(word, StringComparison.OrdinalIgnoreCase) == true);

    private static string Normalise(string? s) => string.Join(' ', (s ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
