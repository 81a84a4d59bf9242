using Xunit;
namespace Keel.Tests;
public class SmokeTests { [Fact] public void Works() => Assert.True(true); }
