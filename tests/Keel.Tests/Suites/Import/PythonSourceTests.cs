using Keel.Suites.Import;
using Keel.Suites.Import.Python;
using Keel.Yaml;
using Xunit;

namespace Keel.Tests.Suites.Import;

/// <summary>The framework's Python conventions the importer reproduces: literal modules and string.Template.</summary>
public class PythonSourceTests
{
    [Theory]
    [InlineData("Hi ${name}!", "Hi Ada!")]
    [InlineData("Hi $name, $names", "Hi Ada, $names")]
    [InlineData("costs $5, $$ well spent, ${missing} and $", "costs $5, $ well spent, ${missing} and $")]
    [InlineData("${ name} ${name", "${ name} ${name")]
    public void Templates_fill_as_python_safe_substitute_does(string template, string expected)
    {
        Assert.Equal(expected, PyTemplate.SafeSubstitute(template, new Dictionary<string, string> { ["name"] = "Ada" }));
    }

    [Fact]
    public void A_literal_module_is_evaluated_with_escapes_comprehensions_and_concatenation()
    {
        const string source = """"
            """Docstring."""
            import json  # skipped

            HEAD = "a\tb\n" 'c\x41' r"\n"
            FORMAT = """\n\n- one
            - two\n"""
            A, B = [
                HEAD + part + tail
                for part, tail in [
                    ("[x]", FORMAT),
                    ("[y]", "!"),
                ]
            ]
            D = {"k": {"inner": "v"}, "n": "m",}
            E = D["k"]["inner"]
            E += "w"

            def helper():
                return D
            """";

        var module = PyModule.Load(source, "m.py");

        Assert.Equal("a\tb\ncA\\n[x]\n\n- one\n- two\n", module.Get("A"));
        Assert.Equal("a\tb\ncA\\n[y]!", module.Get("B"));
        Assert.Equal("vw", module.Get("E"));
        var d = Assert.IsType<OrderedDictionary<string, object?>>(module.Get("D"));
        Assert.Equal(["k", "n"], d.Keys);
    }

    [Fact]
    public void A_name_whose_value_cannot_be_evaluated_is_an_error_at_its_line_only_when_asked_for()
    {
        var module = PyModule.Load("OK = 'fine'\nBAD = 'a'.upper()\nALSO = BAD + 'x'\n", "m.py");

        Assert.Equal("fine", module.Get("OK"));
        var ex = Assert.Throws<InputFormatException>(() => module.Get("BAD"));
        Assert.Equal("m.py:2:10", ex.Location.ToString());
        Assert.Contains("an attribute or method is not supported here", ex.Message);
        Assert.Contains("BAD could not be read (line 2", Assert.Throws<InputFormatException>(() => module.Get("ALSO")).Message);
        Assert.Contains("MISSING is not assigned in this file", Assert.Throws<InputFormatException>(() => module.Get("MISSING")).Message);
    }
}
