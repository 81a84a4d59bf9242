using Microsoft.Playwright;
using Xunit;

namespace Keel.BrowserTests;

/// <summary>
/// Debian's Chromium, launched headless through Playwright's <c>ExecutablePath</c> (Playwright cannot download its own
/// browsers here). Found at <c>KEEL_CHROMIUM</c>, else /usr/bin/chromium, chromium-browser or google-chrome. Without one,
/// the browser tests are skipped with how to install it, unless <c>KEEL_REQUIRE_BROWSER=1</c> (set by <c>.ci/run</c>),
/// where a missing browser fails them.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    // Without the background-networking switches Chromium tries to reach Google's services at every start; on a
    // closed network those connections are refused and slow the start down.
    private static readonly string[] Args =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-dev-shm-usage",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The running browser; skips or fails the test when there is none.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser was not started");

    /// <summary>Why there is no browser (null when there is one).</summary>
    public string? Missing { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var path = Find();
        if (path is null)
        {
            Missing = "Chromium is not installed: install Debian's package (sudo apt-get install chromium) or set KEEL_CHROMIUM to a Chromium or Chrome executable";
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = path, Headless = true, Args = Args });
    }

    /// <summary>Skips the test (or fails it under <c>KEEL_REQUIRE_BROWSER=1</c>) when there is no browser.</summary>
    public void Require()
    {
        if (Missing is null) return;
        if (System.Environment.GetEnvironmentVariable("KEEL_REQUIRE_BROWSER") == "1") Assert.Fail(Missing);
        Assert.Skip(Missing);
    }

    /// <summary>
    /// Gives a page two minutes per action and navigation instead of Playwright's 30 s: the first page of a cold viewer
    /// builds a run report and renders its charts, which on a 2-core CI machine running both test projects at once can
    /// take longer than the default. A hung page still fails the test.
    /// </summary>
    public static IPage Patient(IPage page)
    {
        page.SetDefaultTimeout(120_000);
        page.SetDefaultNavigationTimeout(120_000);
        return page;
    }

    private static string? Find()
    {
        if (System.Environment.GetEnvironmentVariable("KEEL_CHROMIUM") is { Length: > 0 } configured) return File.Exists(configured) ? configured : null;
        return new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
