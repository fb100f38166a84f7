using System.Globalization;
using System.Text;
using System.Text.Json;
using HomeVault.Tests;
using Microsoft.Playwright;

namespace HomeVault.Web.Tests;

/// <summary>
/// The timeline in a real browser against the real `homevault serve` recording two camsim cameras, the console in a
/// configured time zone: seeking inside a clip is answered with 206, a click on the day's strip plays on across a
/// clip boundary by itself, keys pause and step between clips, the day of all cameras plays the same moment side by side, and a window exported from the
/// browser is one MP4 that ffprobe reads with the window's duration. Screenshots for the README go to docs/screenshots.
/// </summary>
public sealed class TimelineBrowserTests
{
    private const string Zone = "America/New_York";

    [Fact]
    public async Task Seek_play_across_clips_see_all_cameras_and_export_a_window_from_the_timeline()
    {
        using var serve = new ServeProcess(["front", "back"], [], Zone);
        WaitForClipsOfEach(serve, ["front", "back"], 4);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);

        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = serve.Console.ToString().TrimEnd('/'), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        Assertions.SetDefaultExpectTimeout(60_000);
        var problems = new List<string>();
        page.Console += (_, m) =>
        {
            // Script errors and failed loads, but not the favicon the console does not have.
            if (m.Type == "error" && !m.Location.Contains("/favicon.ico", StringComparison.Ordinal))
            {
                problems.Add($"{m.Text} ({m.Location})");
            }
        };
        page.PageError += (_, e) => problems.Add(e);
        var media = new List<(string Url, int Status, string? Range)>();
        page.Response += (_, r) =>
        {
            if (r.Url.EndsWith("/media", StringComparison.Ordinal))
            {
                lock (media)
                {
                    media.Add((r.Url, r.Status, r.Headers.GetValueOrDefault("content-range")));
                }
            }
        };
        await page.GotoAsync("/console", Browser.Shown);
        await page.FillAsync("#passphrase", WebHost.Passphrase);
        await page.ClickAsync("#unlock");
        await Assertions.Expect(page.Locator("#recorder")).ToContainTextAsync("Recorder running");

        // The day of "front" in the owners' zone.
        await page.ClickAsync("#cameras a:text('front')");
        await Assertions.Expect(page.Locator("#controls")).ToBeVisibleAsync();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync($"{today:yyyy-MM-dd} ({Zone})");
        var clips = await Clips(page, "front");
        Assert.True(clips.Count >= 4, $"{clips.Count} clips on the page");
        var firstLocal = LocalClock(clips[0].Start, zone);
        await Assertions.Expect(page.Locator("section.camera ol.clips li").First).ToContainTextAsync(firstLocal);

        // Seeking inside one clip: the browser asks for a byte range, the console answers 206, playback starts there.
        var seekClip = clips[1];
        await page.GotoAsync($"/console/clips/{seekClip.Id}", Browser.Shown);
        await page.WaitForFunctionAsync("() => document.querySelector('#player').readyState >= 1");
        var target = await page.EvaluateAsync<double>(
            "() => { const v = document.querySelector('#player'); const o = v.seekable.length ? v.seekable.start(0) : 0; v.currentTime = o + 1.5; v.muted = true; v.play(); return o + 1.5; }");
        await page.WaitForFunctionAsync($"t => {{ const v = document.querySelector('#player'); return !v.paused && v.currentTime > t + 0.3; }}", target);
        lock (media)
        {
            Assert.Contains(media, m => m.Url.EndsWith($"/clips/{seekClip.Id}/media", StringComparison.Ordinal) && m.Status == 206 && m.Range is not null);
            Assert.DoesNotContain(media, m => m.Status >= 400);
        }

        // A click on the strip before the first clip (the day's strip is about a minute a pixel) plays that clip, and
        // playback runs on into the next clip by itself.
        await page.GotoAsync($"/console/cameras/front?day={today:yyyy-MM-dd}", Browser.Shown);
        await Assertions.Expect(page.Locator("#controls")).ToBeVisibleAsync();
        await ClickStripAt(page, page.Locator("section.camera canvas").First, clips[0].Start.AddHours(-1));
        await page.WaitForFunctionAsync($"() => document.querySelector('section.camera video').dataset.clip === '{clips[0].Id}'");
        await page.EvalOnSelectorAsync("section.camera video", "v => { v.muted = true; }");
        await WaitFor(page, "section.camera video",
            $"v => v.dataset.clip === '{clips[1].Id}' && !v.paused && v.currentTime > (v.seekable.length ? v.seekable.start(0) : 0) + 0.2");
        await Assertions.Expect(page.Locator("#moment")).ToContainTextAsync("UTC");

        // Keys: space pauses, '.' jumps to the next clip's start, ',' back to the one before.
        await page.Keyboard.PressAsync(" ");
        await WaitFor(page, "section.camera video", "v => v.paused");
        var playing = await page.EvalOnSelectorAsync<string>("section.camera video", "v => v.dataset.clip");
        var current = clips.FindIndex(c => c.Id.ToString(CultureInfo.InvariantCulture) == playing);
        Assert.True(current >= 1 && current + 1 < clips.Count, $"playing clip #{current} of {clips.Count}");
        await page.Keyboard.PressAsync(".");
        await WaitFor(page, "section.camera video", $"v => v.dataset.clip === '{clips[current + 1].Id}' && !v.paused");
        await page.Keyboard.PressAsync(",");
        await WaitFor(page, "section.camera video", $"v => v.dataset.clip === '{clips[current].Id}' && !v.paused");
        await page.SelectOptionAsync("#zoom", "10");
        await Browser.DocShot(page, "timeline-desktop");

        // All cameras side by side: a click plays the same moment on each.
        await page.ClickAsync("#all-cameras");
        await Assertions.Expect(page.Locator("section.camera")).ToHaveCountAsync(2);
        await page.SelectOptionAsync("#zoom", "10");
        var backClips = await Clips(page, "back");
        var moment = new[] { clips[1].Start, backClips[1].Start }.Max().AddSeconds(1);
        await ClickStripAt(page, page.Locator("section.camera[data-camera=front] canvas"), moment);
        foreach (var (camera, list) in new[] { ("front", clips), ("back", backClips) })
        {
            // The clip holding the clicked moment (a pixel is about a second at this zoom).
            var near = list.Where(c => c.Start <= moment.AddSeconds(2) && c.End >= moment.AddSeconds(-2)).Select(c => $"'{c.Id}'");
            await WaitFor(page, $"section.camera[data-camera={camera}] video", $"v => [{string.Join(",", near)}].includes(v.dataset.clip) && v.readyState >= 2");
        }
        await Browser.DocShot(page, "all-cameras-desktop");

        // Export a window of three whole clips of "front" from the timeline's form: one MP4, as long as the window.
        await page.GotoAsync($"/console/cameras/front?day={today:yyyy-MM-dd}", Browser.Shown);
        await Assertions.Expect(page.Locator("#export")).ToBeVisibleAsync();
        var from = new DateTimeOffset(clips[0].Start.UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        // The form takes whole seconds: the window starts before the first clip and ends inside the third clip's last
        // fragment, so the export is those three clips, short of their end by at most what that fragment starts after the window.
        var to = new DateTimeOffset(clips[2].End.UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        await page.FillAsync("#export-from", LocalField(from, zone));
        await page.FillAsync("#export-to", LocalField(to, zone));
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-download"), new PageRunAndWaitForDownloadOptions { Timeout = 120_000 });
        var mp4 = Path.Combine(serve.Dir, "export.mp4");
        await download.SaveAsAsync(mp4);
        var probe = TestEnv.Run(TestEnv.Tool("ffprobe"), ["-v", "error", "-show_entries", "format=duration:stream=codec_name", "-of", "json", mp4]);
        Assert.True(probe.Exit == 0, probe.Stderr);
        using var json = JsonDocument.Parse(Encoding.UTF8.GetString(probe.Stdout));
        var duration = double.Parse(json.RootElement.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
        var expected = (clips[2].End - clips[0].Start).TotalSeconds;
        Assert.True(duration >= expected - 1.0 && duration <= expected + 0.1, $"the export lasts {duration} s; its clips {expected} s");
        Assert.Equal("h264", json.RootElement.GetProperty("streams")[0].GetProperty("codec_name").GetString());
        var audit = Homevault.Run("audit", "log", "--json", "--data", serve.Data);
        Assert.True(audit.Exit == 0, audit.Stderr);
        Assert.Contains(JsonDocument.Parse(audit.Stdout).RootElement.EnumerateArray(), e =>
            e.GetProperty("action").GetString() == "vault.unlocked" && e.GetProperty("details").TryGetProperty("purpose", out var purpose) && purpose.GetString() == "export"
            && e.GetProperty("details").GetProperty("file").GetString()!.StartsWith("front ", StringComparison.Ordinal));

        // The same pages on a phone.
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync($"/console/cameras/front?day={today:yyyy-MM-dd}", Browser.Shown);
        await Assertions.Expect(page.Locator("#controls")).ToBeVisibleAsync();
        await page.SelectOptionAsync("#zoom", "10");
        await Browser.DocShot(page, "timeline-phone");
        await page.GotoAsync($"/console/timeline?day={today:yyyy-MM-dd}", Browser.Shown);
        await Assertions.Expect(page.Locator("#controls")).ToBeVisibleAsync();
        await page.SelectOptionAsync("#zoom", "10");
        await Browser.DocShot(page, "all-cameras-phone");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private sealed record PageClip(long Id, DateTimeOffset Start, DateTimeOffset End);

    /// <summary>The clips the timeline page lists for <paramref name="camera"/> (what its script reads).</summary>
    private static async Task<List<PageClip>> Clips(IPage page, string camera)
    {
        var rows = await page.EvalOnSelectorAllAsync<long[][]>($"section.camera[data-camera={camera}] ol.clips li",
            "lis => lis.map(li => [Number(li.dataset.id), Number(li.dataset.start), Number(li.dataset.end)])");
        return rows.Select(r => new PageClip(r[0], DateTimeOffset.FromUnixTimeMilliseconds(r[1]), DateTimeOffset.FromUnixTimeMilliseconds(r[2]))).ToList();
    }

    /// <summary>Clicks <paramref name="strip"/> where <paramref name="moment"/> lies on the stretch of the day the strips show.</summary>
    private static async Task ClickStripAt(IPage page, ILocator strip, DateTimeOffset moment)
    {
        var day = await page.EvalOnSelectorAsync<double[]>("#timeline", "t => [Number(t.dataset.viewFrom), Number(t.dataset.viewTo)]");
        var box = (await strip.BoundingBoxAsync())!;
        var f = (moment.ToUnixTimeMilliseconds() - day[0]) / (double)(day[1] - day[0]);
        await strip.ClickAsync(new LocatorClickOptions { Position = new Position { X = (float)Math.Clamp(f * box.Width, 0, box.Width - 1), Y = box.Height / 2 } });
    }

    /// <summary>Waits until <paramref name="predicate"/> holds for the video <paramref name="selector"/>; on timeout, fails with the video's state.</summary>
    private static async Task WaitFor(IPage page, string selector, string predicate)
    {
        try
        {
            await page.WaitForFunctionAsync($"() => ({predicate})(document.querySelector(\"{selector}\"))", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        }
        catch (TimeoutException)
        {
            var state = await page.EvalOnSelectorAsync<string>(selector,
                "v => JSON.stringify({ clip: v.dataset.clip, src: v.currentSrc, paused: v.paused, ended: v.ended, t: v.currentTime, d: v.duration, ready: v.readyState, net: v.networkState, error: v.error && v.error.message, seekable: v.seekable.length ? [v.seekable.start(0), v.seekable.end(0)] : [] })");
            Assert.Fail($"{selector} did not satisfy {predicate} within 60 s: {state}");
        }
    }

    private static void WaitForClipsOfEach(ServeProcess serve, string[] cameras, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var r = Homevault.Run("clips", "list", "--json", "--data", serve.Data);
            var clips = r.Exit == 0 ? JsonDocument.Parse(r.Stdout).RootElement.EnumerateArray().Select(c => c.GetProperty("camera").GetString()).ToList() : [];
            var fewest = cameras.Min(c => clips.Count(x => x == c));
            if (fewest >= count || DateTime.UtcNow > deadline)
            {
                Assert.True(fewest >= count, $"the recorder sealed {fewest} of {count} clips of some camera within 120 s");
                return;
            }
            Thread.Sleep(500);
        }
    }

    private static string LocalClock(DateTimeOffset t, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(t, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private static string LocalField(DateTimeOffset t, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

}
