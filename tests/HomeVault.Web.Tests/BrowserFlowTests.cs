using System.Globalization;
using System.Net;
using Microsoft.Playwright;

namespace HomeVault.Web.Tests;

/// <summary>
/// The whole owner flow in a real browser against the real `homevault serve` recording a real camera: a request
/// arrives over HTTP, the owner unlocks the console, plays a decrypted clip, reviews the request's scope preview,
/// narrows and signs the approval, checks the audit log, and locks. Screenshots go to TestResults/screenshots.
/// </summary>
public sealed class BrowserFlowTests
{
    [Fact]
    public async Task A_request_over_http_is_reviewed_narrowed_and_approved_in_the_browser()
    {
        using var serve = new ServeProcess();
        var clips = serve.WaitForClips(3);
        var first = DateTimeOffset.Parse(clips[0].GetProperty("start").GetString()!, CultureInfo.InvariantCulture);
        var from = first.AddMinutes(-5);
        var to = DateTimeOffset.UtcNow.AddSeconds(-1);
        string id;
        using (var intake = Requests.Client(serve.Intake, serve.Token))
        {
            id = await Requests.Create(intake, Requests.Json(cameras: "\"drive\", \"front\"", from: Requests.Wire(from), to: Requests.Wire(to)));
        }

        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = serve.Console.ToString().TrimEnd('/'), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        // Every wait below is for what the page shows (a locator), never for the network or the load event, and each
        // is bounded generously: on a loaded machine a page can take far longer than Playwright's 5 s default.
        Assertions.SetDefaultExpectTimeout(60_000);
        var cspViolations = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                cspViolations.Add(m.Text);
            }
        };

        await page.GotoAsync("/console", Browser.Shown);
        await Assertions.Expect(page.Locator("#unlock")).ToBeVisibleAsync();
        Assert.EndsWith("/console/login", page.Url, StringComparison.Ordinal);
        await Browser.Shot(page, "01-login");
        await page.FillAsync("#passphrase", WebHost.Passphrase);
        await page.ClickAsync("#unlock");
        await Assertions.Expect(page.Locator("#recorder")).ToContainTextAsync("Recorder running");
        Assert.EndsWith("/console", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#cameras")).ToContainTextAsync("front");
        await Browser.Shot(page, "02-dashboard");

        // Playback: the clip is decrypted into the response with the unlocked identity.
        await page.ClickAsync("#cameras a:text('front')");
        await page.ClickAsync("section.camera summary");
        await Assertions.Expect(page.Locator("ol.clips a.play").First).ToBeVisibleAsync();
        await Browser.Shot(page, "03-camera-timeline");
        await page.Locator("ol.clips a.play").First.ClickAsync();
        var media = await page.Context.APIRequest.GetAsync(page.Url + "/media");
        Assert.Equal(200, media.Status); // no Range asked, the whole clip
        Assert.Equal("video/mp4", media.Headers["content-type"]);
        var mp4 = await media.BodyAsync();
        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(mp4, 4, 4));
        await page.WaitForFunctionAsync("() => document.querySelector('#player').readyState >= 1");
        await Browser.Shot(page, "04-playback");

        await page.ClickAsync("nav a:text('Requests')");
        await Assertions.Expect(page.Locator("#requests")).ToContainTextAsync("Springfield Police Department");
        await Browser.Shot(page, "05-inbox");
        await page.ClickAsync($"a[href='/console/requests/{id}']");
        await Assertions.Expect(page.Locator("#preview")).ToContainTextAsync("not one of your cameras");
        await Assertions.Expect(page.Locator("#request")).ToContainTextAsync("over HTTP from requester spd");
        await Browser.Shot(page, "06-request");

        // Narrow: only the real camera (the unknown one starts out unticked), and a later start, typed in the console's
        // time zone into a date-time input (whole seconds).
        await Assertions.Expect(page.Locator("input[name=cameras][value=drive]")).Not.ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("input[name=cameras][value=front]")).ToBeCheckedAsync();
        var narrowed = first.AddSeconds(1);
        narrowed = narrowed.AddTicks(-(narrowed.UtcTicks % TimeSpan.TicksPerSecond));
        var narrowedFrom = TimeZoneInfo.ConvertTime(narrowed, TimeZoneInfo.FindSystemTimeZoneById(ServeProcess.ConsoleZone)).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        await page.FillAsync("#approve-from", narrowedFrom);
        await page.FillAsync("#approve-passphrase", "not the passphrase");
        await page.ClickAsync("#approve");
        await Assertions.Expect(page.Locator("#error")).ToContainTextAsync("wrong passphrase");
        await Assertions.Expect(page.Locator("input[name=cameras][value=drive]")).Not.ToBeCheckedAsync();
        await page.FillAsync("#approve-from", narrowedFrom);
        await page.FillAsync("#approve-passphrase", WebHost.Passphrase);
        await page.ClickAsync("#approve");
        // The signature completes the quorum (one owner), so the release is built and its link shown once.
        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync("the release is built", new() { Timeout = 120_000 });
        // The link is on the intake's public address (a reverse proxy's, configured); the test reaches the same path
        // on the intake's own listener.
        var shown = (await page.Locator("#download-link").TextContentAsync())!.Trim();
        Assert.StartsWith(ServeProcess.PublicIntakeUrl + "download/", shown, StringComparison.Ordinal);
        var link = serve.Intake + shown[ServeProcess.PublicIntakeUrl.Length..];
        await Browser.Shot(page, "07-release-built");
        await page.ClickAsync("a:text('Back to the request')");
        await Assertions.Expect(page.Locator("#approved")).ToContainTextAsync($"front, {Requests.Wire(narrowed)} to");

        // The requester downloads it over HTTP by the capability link (no token needed) and verifies it.
        var tar = Path.Combine(serve.Dir, "release.tar");
        using (var requester = new HttpClient())
        {
            using var download = await requester.GetAsync(new Uri(link), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("application/x-tar", download.Content.Headers.ContentType?.MediaType);
            await File.WriteAllBytesAsync(tar, await download.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        }
        var verify = Homevault.Run("verify", tar, "--owner-key", Path.Combine(serve.Data, "keys", "alice.minisign.pub"));
        Assert.True(verify.Exit == 0, verify.Stdout + verify.Stderr);
        var show = Homevault.Run("requests", "show", id, "--data", serve.Data);
        Assert.Contains("released", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("front", show.Stdout, StringComparison.Ordinal);

        await page.ClickAsync("nav a:text('Releases')");
        await Assertions.Expect(page.Locator("#releases")).ToContainTextAsync(id);
        await Browser.Shot(page, "08-releases");
        // Revoke: the files go and the link stops working, answered like any unknown link.
        await page.FillAsync("form.revoke input[name=reason]", "sent by mistake");
        await page.FillAsync("form.revoke input[name=passphrase]", WebHost.Passphrase);
        await page.ClickAsync("form.revoke button");
        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync("revoked");
        using (var requester = new HttpClient())
        {
            using var gone = await requester.GetAsync(new Uri(link), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        await page.ClickAsync("nav a:text('Audit log')");
        await page.ClickAsync("#verify");
        await Assertions.Expect(page.Locator("#verification")).ToContainTextAsync("audit log OK");
        await Assertions.Expect(page.Locator("#entries")).ToContainTextAsync("release.downloaded");
        await Browser.Shot(page, "09-audit");
        await page.ClickAsync("nav a:text('Transparency report')");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("search-warrant");
        await Browser.Shot(page, "10-report");
        // Back to a console page by address: history navigation would re-run the no-store audit page's full verification.
        await page.GotoAsync("/console", Browser.Shown);
        await Assertions.Expect(page.Locator("#recorder")).ToBeVisibleAsync();

        await page.ClickAsync("#lock");
        await Assertions.Expect(page.Locator("#unlock")).ToBeVisibleAsync();
        Assert.EndsWith("/console/login", page.Url, StringComparison.Ordinal);
        await page.GotoAsync("/console/requests", Browser.Shown);
        await Assertions.Expect(page.Locator("#unlock")).ToBeVisibleAsync();
        Assert.EndsWith("/console/login", page.Url, StringComparison.Ordinal);
        Assert.Empty(cspViolations);
    }


}
