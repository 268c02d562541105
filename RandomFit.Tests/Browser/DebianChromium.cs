using Microsoft.Playwright;

namespace RandomFit.Tests.Browser;

/// <summary>Debian's Chromium for browser tests; Playwright's own browser download is never used.</summary>
internal static class DebianChromium
{
    private const string ExecutablePath = "/usr/bin/chromium";

    // Without the background-networking flags Chromium keeps trying hosts that a closed network refuses.
    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    /// <summary>Skips the calling test with the package to install when Chromium is missing.</summary>
    public static void SkipUnlessInstalled()
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Skip("Chromium not found at /usr/bin/chromium; install the Debian package chromium to run browser tests.");
        }
    }

    /// <summary>Launches headless Chromium from the Debian package, with a dark system colour scheme when systemDark is true.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, bool systemDark = false) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = systemDark ? [.. Arguments, "--force-dark-mode"] : Arguments,
        });

    /// <summary>
    /// Waits until the page's Blazor circuit has connected and rendered, because clicks made before that are lost.
    /// Repeating a click until it takes effect can instead toggle twice when the first click is only slow.
    /// </summary>
    public static Task WaitUntilInteractiveAsync(IPage page) =>
        page.WaitForSelectorAsync("[data-interactive=true]");
}
