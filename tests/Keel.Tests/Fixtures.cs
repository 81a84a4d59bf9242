using Keel.Suites;

namespace Keel.Tests;

/// <summary>Suites the tests use.</summary>
public static class Fixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Suites", "Fixtures", name);

    public static Suite Mini() => SuiteLoader.Default.LoadFile(Path("mini.yaml"));

    public static Condition MiniCondition() => Mini().Conditions[0];
}
