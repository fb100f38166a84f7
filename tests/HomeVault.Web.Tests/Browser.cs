using HomeVault.Tests;
using Microsoft.Playwright;

namespace HomeVault.Web.Tests;

/// <summary>Debian's Chromium driven by Playwright (no browser download), and where screenshots are kept.</summary>
internal static class Browser
{
    public static readonly string Screenshots = Path.Combine(TestEnv.RepoRoot, "TestResults", "screenshots");

    /// <summary>Navigation returns once the server's answer starts; the locator that follows waits for the page itself.</summary>
    public static PageGotoOptions Shown => new() { WaitUntil = WaitUntilState.Commit };

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = TestEnv.Tool("chromium"),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return (playwright, browser);
    }

    /// <summary>Where the README's screenshots of the console live (written by the tests that show each page).</summary>
    public static readonly string DocScreenshots = Path.Combine(TestEnv.RepoRoot, "docs", "screenshots");

    /// <summary>A screenshot for the README: the visible viewport (what the owner sees at that width), into docs/screenshots.</summary>
    public static Task DocShot(IPage page, string name)
    {
        Directory.CreateDirectory(DocScreenshots);
        return page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DocScreenshots, name + ".png") });
    }

    public static Task Shot(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        return page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
    }
}
