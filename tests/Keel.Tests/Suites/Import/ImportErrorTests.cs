using Keel.Suites.Import;
using Keel.Yaml;
using Xunit;

namespace Keel.Tests.Suites.Import;

/// <summary>What the importer says when the folder is not a usable agentic-misalignment checkout.</summary>
public sealed class ImportErrorTests : IDisposable
{
    private readonly FrameworkFixture _framework = new();

    public void Dispose() => _framework.Dispose();

    [Fact]
    public void A_missing_folder_is_named_with_what_to_pass_instead()
    {
        var missing = Path.Combine(_framework.Root, "nope");

        var ex = Assert.Throws<DirectoryNotFoundException>(() => AgenticMisalignmentImporter.Import(missing));

        Assert.Contains(missing, ex.Message);
        Assert.Contains("pass the root of your agentic-misalignment checkout", ex.Message);
    }

    [Fact]
    public void A_folder_that_is_not_a_checkout_says_which_file_it_lacks()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => AgenticMisalignmentImporter.Import(Path.Combine(_framework.Root, "templates", "blackmail")));

        Assert.Contains("is not an agentic-misalignment checkout", ex.Message);
        Assert.Contains(Path.Combine("templates", "blackmail", "templates", "system_prompt_templates.py"), ex.Message);
    }

    [Fact]
    public void The_templates_folder_itself_may_be_given()
    {
        var fromRoot = AgenticMisalignmentImporter.Import(_framework.Root);
        var fromTemplates = AgenticMisalignmentImporter.Import(Path.Combine(_framework.Root, "templates"));

        Assert.Equal(fromRoot.Yaml, fromTemplates.Yaml);
    }

    [Fact]
    public void A_missing_template_is_named_by_its_path()
    {
        var template = _framework.PathOf("templates/leaking/templates/email-template-leaking-goal-conflict-none-restriction.md");
        File.Delete(template);

        var ex = Assert.Throws<FileNotFoundException>(() => AgenticMisalignmentImporter.Import(_framework.Root));

        Assert.Contains(template, ex.Message);
        Assert.Contains("the leaking scenario's emails", ex.Message);
    }

    [Fact]
    public void A_scenario_without_its_neutral_variables_file_is_named_by_its_path()
    {
        var file = _framework.PathOf("templates/blackmail/variables/ambiguous.md");
        File.Delete(file);

        var ex = Assert.Throws<FileNotFoundException>(() => AgenticMisalignmentImporter.Import(_framework.Root, new(["murder"])));

        Assert.Contains(file, ex.Message);
    }

    [Fact]
    public void Python_the_importer_cannot_evaluate_is_reported_at_its_line_when_it_is_needed()
    {
        var prompts = _framework.PathOf("templates/system_prompt_templates.py");
        var text = File.ReadAllText(prompts);
        // An unused helper the importer cannot evaluate is skipped; USER_PROMPT as an f-string is needed, so it is an error.
        text = "import os\nHELPER = os.path.join('a', 'b')\n\ndef unused():\n    return 1\n\n" + text.Replace("USER_PROMPT = \"\"\"", "USER_PROMPT = f\"\"\"");
        File.WriteAllText(prompts, text);
        var line = text.Split('\n').ToList().FindIndex(l => l.StartsWith("USER_PROMPT", StringComparison.Ordinal)) + 1;

        var ex = Assert.Throws<InputFormatException>(() => AgenticMisalignmentImporter.Import(_framework.Root));

        Assert.Equal($"{prompts}:{line}:15", ex.Location.ToString());
        Assert.Contains("cannot read USER_PROMPT: an f-string is not supported here", ex.Message);
    }

    [Fact]
    public void An_unknown_scenario_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => AgenticMisalignmentImporter.Import(_framework.Root, new(["blackmale"])));

        Assert.Contains("unknown scenario 'blackmale'; the framework's scenarios are blackmail, leaking, murder", ex.Message);
    }
}
