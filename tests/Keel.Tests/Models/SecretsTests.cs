using Keel.Models;
using Xunit;

namespace Keel.Tests.Models;

public class SecretsTests
{
    [Fact]
    public void A_registered_key_is_masked_wherever_it_occurs()
    {
        Secrets.Register("sk-unit-A1b2C3d4e5");
        Assert.Equal($"bad key {Secrets.Mask}; again {Secrets.Mask}", Secrets.Redact("bad key sk-unit-A1b2C3d4e5; again sk-unit-A1b2C3d4e5"));
    }

    [Fact]
    public void A_key_that_contains_another_is_masked_whole()
    {
        Secrets.Register("sk-inner-77aa88");
        Secrets.Register("sk-inner-77aa88-outer");
        Assert.Equal($"[{Secrets.Mask}]", Secrets.Redact("[sk-inner-77aa88-outer]"));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("ollama")]
    public void Placeholder_keys_are_not_secrets(string placeholder)
    {
        Secrets.Register(placeholder);
        Assert.Equal($"model {placeholder} not found", Secrets.Redact($"model {placeholder} not found"));
    }

    [Fact]
    public void An_exception_without_a_key_passes_through_as_is()
    {
        var original = new InvalidOperationException("HTTP 500", new IOException("reset"));
        Assert.Same(original, RedactedException.From(original));
    }

    [Fact]
    public void An_exception_quoting_a_key_is_replaced_by_a_masked_copy_of_its_chain()
    {
        Secrets.Register("sk-chain-9f9f9f9f");
        var original = new InvalidOperationException("HTTP 401", new IOException("Incorrect API key provided: sk-chain-9f9f9f9f"));

        var redacted = Assert.IsType<RedactedException>(RedactedException.From(original));

        Assert.Equal(("InvalidOperationException", "HTTP 401"), (redacted.TypeName, redacted.Message));
        var inner = Assert.IsType<RedactedException>(redacted.InnerException);
        Assert.Equal(("IOException", $"Incorrect API key provided: {Secrets.Mask}"), (inner.TypeName, inner.Message));
        Assert.Null(inner.InnerException);
    }
}
