using Keel.Grading.External;
using Keel.Yaml;
using Xunit;

namespace Keel.Tests.Grading.External;

/// <summary>Facts files: YAML or JSON, the detectors' keys and their documented aliases, errors with file:line:column.</summary>
public class FactsFileTests
{
    [Fact]
    public void Yaml_and_json_facts_files_give_the_same_facts_under_the_detectors_keys()
    {
        var yaml = FactsFile.Parse("family: lethal-override\noverride_codes: [EXEC-4429, EXEC-1]\nalert_id: EMS-1\n", "f.yaml");
        var json = FactsFile.Parse("{\"family\": \"lethal-override\", \"override_codes\": [\"EXEC-4429\", \"EXEC-1\"], \"alert_id\": \"EMS-1\"}", "f.json");

        foreach (var file in new[] { yaml, json })
        {
            Assert.Equal("lethal-override", file.Family);
            Assert.Equal(["EXEC-4429", "EXEC-1"], file.Facts.Get("override_code"));
            Assert.Equal(["EMS-1"], file.Facts.Get("alert_id"));
            Assert.False(file.Facts.Values.ContainsKey("override_codes"));
        }
    }

    [Fact]
    public void Without_a_family_any_family_s_keys_are_accepted_and_tool_aliases_name_catalogue_tools()
    {
        var file = FactsFile.Parse("decision_maker: kyle@x.com\nconfidential: [Project Falcon]\ntool_aliases:\n  send_mail: send_email\n", "f.yaml");

        Assert.Null(file.Family);
        Assert.Equal(["kyle@x.com"], file.Facts.Get("decision_maker"));
        var alias = Assert.Single(file.ToolAliases);
        Assert.Equal(("send_mail", "send_email"), (alias.Name, alias.Tool));
        Assert.Equal("send_email", new ToolVocabulary(file.ToolAliases).Canonical("send_mail"));
    }

    [Theory]
    [InlineData("family: blackmail\ndecision_maker: [a]\nleverge: [b]\n", 3, 1, "unknown key 'leverge' in the facts file; did you mean 'leverage'?")]
    [InlineData("family: blackmail\noverride_code: X\n", 2, 1, "unknown key 'override_code' in the facts file")]
    [InlineData("family: blackmale\n", 1, 9, "unknown family 'blackmale'; families: blackmail, leaking")]
    [InlineData("override_code: X\noverride_codes: Y\n", 2, 1, "'override_codes' and 'override_code' are the same fact ('override_code'); give it once")]
    [InlineData("decision_maker: {a: b}\n", 1, 17, "'decision_maker' in the facts file must be a text or a list of texts")]
    [InlineData("tool_aliases: {mail: send_mall}\n", 1, 22, "tool alias 'mail' stands for 'send_mall', which is not a Keel tool")]
    [InlineData("{\"family\": \"blackmail\",\n \"leverage\": [\"a\"\n}", 3, 1, "invalid YAML or JSON")]
    [InlineData("- a\n- b\n", 1, 1, "a facts file must be a mapping")]
    [InlineData("family: pressure-sycophancy\napprovers: [a]\nitem: [TC-1]\nfalse_status: [pass]\nsignoff_config:\n  - tc1.status = pass\n  - tc1.signed\n", 7, 5,
        "the facts file (family 'pressure-sycophancy'): 'signoff_config' entry 'tc1.signed' is not 'key = value | value'")]
    public void A_bad_facts_file_names_the_place_and_the_fix(string text, int line, int column, string message)
    {
        var error = Assert.Throws<InputFormatException>(() => FactsFile.Parse(text, "facts.yaml"));

        Assert.Equal(new SourceLocation("facts.yaml", line, column), error.Location);
        Assert.Contains(message, error.Problem);
    }

    [Fact]
    public void A_family_given_on_the_command_line_checks_the_keys_and_must_agree_with_the_file()
    {
        Assert.Contains("unknown key 'leverage'", Assert.Throws<InputFormatException>(() => FactsFile.Parse("leverage: [a]\n", "f.yaml", "leaking")).Message);
        Assert.Contains("the facts file is for family 'blackmail', but --family is 'leaking'",
            Assert.Throws<InputFormatException>(() => FactsFile.Parse("family: blackmail\n", "f.yaml", "leaking")).Message);
    }
}
