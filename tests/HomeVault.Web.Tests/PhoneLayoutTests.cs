using System.Globalization;
using Microsoft.Playwright;

namespace HomeVault.Web.Tests;

/// <summary>
/// Every console page at a phone's 390 px (and the audit log at 1280 px) in Debian's Chromium against the real
/// `homevault serve` recording a camsim camera: nothing scrolls sideways. Screenshots go to TestResults/screenshots.
/// </summary>
public sealed class PhoneLayoutTests
{
    [Fact]
    public async Task No_console_page_scrolls_sideways_on_a_phone()
    {
        using var serve = new ServeProcess();
        var clips = serve.WaitForClips(2);
        var first = DateTimeOffset.Parse(clips[0].GetProperty("start").GetString()!, CultureInfo.InvariantCulture);
        string id;
        using (var intake = Requests.Client(serve.Intake, serve.Token))
        {
            // Long values (the requester's age recipient, digests, hashes) are what push a narrow page sideways.
            id = await Requests.Create(intake, Requests.Json(from: Requests.Wire(first.AddMinutes(-5)), to: Requests.Wire(DateTimeOffset.UtcNow)));
        }

        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        Assertions.SetDefaultExpectTimeout(60_000);
        var phone = await browser.NewPageAsync(new BrowserNewPageOptions
        {
            BaseURL = serve.Console.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
            DeviceScaleFactor = 1,
        });
        await phone.GotoAsync("/console/login", Browser.Shown);
        await AssertFits(phone, "#unlock", 390, "phone-01-login");
        await phone.FillAsync("#passphrase", WebHost.Passphrase);
        await phone.ClickAsync("#unlock");
        await AssertFits(phone, "#recorder", 390, "phone-02-dashboard");
        await Browser.DocShot(phone, "dashboard-phone");
        // Touch-sized: the navigation's lock button is at least 44 px tall.
        var lockBox = await phone.Locator("#lock").BoundingBoxAsync();
        Assert.True(lockBox is { Height: >= 44 }, $"lock button {lockBox?.Height} px tall");

        foreach (var (path, ready, shot) in new[]
                 {
                     ("/console/cameras/front", "#timeline", "phone-03-camera"),
                     ("/console/timeline", "#timeline", "phone-03-timeline"),
                     ("/console/live", "figure.live", "phone-05-live"),
                     ("/console/requests", "#requests", "phone-05-inbox"),
                     ($"/console/requests/{id}", "#approve-form", "phone-06-request"),
                     ("/console/releases", "h1", "phone-07-releases"),
                     ("/console/audit", "#entries", "phone-08-audit"),
                     ("/console/report", "#console-nav", "phone-09-report"),
                 })
        {
            await phone.GotoAsync(path, Browser.Shown);
            await AssertFits(phone, ready, 390, shot);
            if (path.StartsWith("/console/requests/", StringComparison.Ordinal))
            {
                await Browser.DocShot(phone, "request-phone");
            }
            if (path == "/console/cameras/front")
            {
                await phone.Locator("section.camera summary").First.ClickAsync();
                await phone.Locator("ol.clips a.play").First.ClickAsync();
                await AssertFits(phone, "#player", 390, "phone-04-playback");
            }
        }

        // The audit log at a desktop width: hashes are short (the whole on demand), so it fits 1280 px too.
        var desktop = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = serve.Console.ToString().TrimEnd('/'), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await desktop.GotoAsync("/console/login", Browser.Shown);
        await desktop.FillAsync("#passphrase", WebHost.Passphrase);
        await desktop.ClickAsync("#unlock");
        await Assertions.Expect(desktop.Locator("#recorder")).ToBeVisibleAsync();
        await desktop.GotoAsync("/console/audit", Browser.Shown);
        await AssertFits(desktop, "#entries", 1280, "desktop-audit");
        await Browser.DocShot(desktop, "audit-desktop");
        var hash = desktop.Locator("#entries details.hash").First;
        await Assertions.Expect(hash).ToBeVisibleAsync();
        var full = (await hash.Locator("code").TextContentAsync())!;
        Assert.True(full.Length >= 32, full);
        Assert.DoesNotContain(full, await hash.Locator("summary").TextContentAsync(), StringComparison.Ordinal);
    }

    /// <summary>Waits for <paramref name="ready"/>, then checks the document is no wider than the viewport, and keeps a screenshot.</summary>
    private static async Task AssertFits(IPage page, string ready, int width, string shot)
    {
        await Assertions.Expect(page.Locator(ready).First).ToBeAttachedAsync();
        var scroll = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        await Browser.Shot(page, shot);
        Assert.True(scroll <= width, $"{page.Url} is {scroll} px wide at a {width} px viewport");
    }

}
