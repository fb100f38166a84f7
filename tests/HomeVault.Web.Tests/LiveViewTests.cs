using System.Net;
using System.Net.WebSockets;
using System.Text;
using HomeVault.Recording.Cameras;
using HomeVault.Recording.Fmp4;
using HomeVault.Recording.Live;
using HomeVault.Tests;
using Microsoft.Playwright;

namespace HomeVault.Web.Tests;

/// <summary>
/// Live view and stills against the real `homevault serve` recording real camsim cameras: the grid in Debian's
/// Chromium (Media Source Extensions fed over WebSockets), locking that ends every stream, and at the HTTP level
/// that a locked console gets no live data and no picture while an unlocked one gets a JPEG that decodes. The idle
/// timeout, which needs a clock the test can move, is checked in process with the recorder's tap fed by hand.
/// </summary>
public sealed class LiveViewTests
{
    private static readonly string[] Cameras = ["front", "back", "side"];

    [Fact]
    public async Task The_grid_plays_every_camera_live_and_locking_the_console_ends_every_stream()
    {
        using var serve = new ServeProcess(camsim: true, [], Cameras);
        await serve.WaitForAllRecordingAsync();
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = serve.Console.ToString().TrimEnd('/'), ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        Assertions.SetDefaultExpectTimeout(60_000);
        var cspViolations = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                cspViolations.Add(m.Text);
            }
        };

        await page.GotoAsync("/console/login", Browser.Shown);
        await page.FillAsync("#passphrase", WebHost.Passphrase);
        await page.ClickAsync("#unlock");
        await Assertions.Expect(page.Locator("#recorder")).ToContainTextAsync("Recorder running");
        // Each camera's still on the dashboard is a decoded picture.
        await Assertions.Expect(page.Locator("#stills img")).ToHaveCountAsync(Cameras.Length);
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#stills img')].every(i => i.complete && i.naturalWidth > 0)", null, new() { Timeout = 60_000 });
        await Browser.DocShot(page, "dashboard-stills-desktop");

        await page.ClickAsync("nav a:text('Live')");
        await Assertions.Expect(page.Locator("video[data-live]")).ToHaveCountAsync(Cameras.Length);
        foreach (var camera in Cameras)
        {
            await Assertions.Expect(page.Locator($"video[data-live='{camera}']")).ToBeVisibleAsync();
        }
        // A first frame in every video, then each one advancing within 5 s.
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('video[data-live]')].every(v => v.readyState >= 2 && v.currentTime > 0)", null, new() { Timeout = 60_000 });
        await page.EvaluateAsync("() => window.hvFirst = [...document.querySelectorAll('video[data-live]')].map(v => v.currentTime)");
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('video[data-live]')].every((v, i) => v.currentTime > window.hvFirst[i] + 0.5)", null, new() { Timeout = 5_000 });
        Assert.Equal(Cameras.Length, await serve.LiveViewersAsync());
        await Browser.DocShot(page, "live-grid-desktop");
        await page.SetViewportSizeAsync(390, 844);
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('video[data-live]')].every(v => v.readyState >= 2)", null, new() { Timeout = 30_000 });
        await Browser.DocShot(page, "live-grid-phone");

        // Lock from a second tab of the same browser: the grid's streams end at once, closed by the server as locked.
        var other = await context.NewPageAsync();
        await other.GotoAsync("/console", Browser.Shown);
        await other.ClickAsync("#lock");
        await Assertions.Expect(other.Locator("#unlock")).ToBeVisibleAsync();
        foreach (var camera in Cameras)
        {
            await Assertions.Expect(page.Locator($"figure:has(video[data-live='{camera}']) .live-state")).ToHaveTextAsync("console locked");
        }
        await WaitUntilAsync(async () => await serve.LiveViewersAsync() == 0, "live viewers back to 0 after the lock");
        var audit = serve.AuditEntries();
        foreach (var camera in Cameras)
        {
            Assert.Contains(("live.started", "camera/" + camera, (string?)null), audit);
            Assert.Contains(("live.stopped", "camera/" + camera, (string?)"console locked"), audit);
        }
        Assert.Empty(cspViolations);
    }

    [Fact]
    public async Task A_locked_console_gets_no_live_data_and_no_still_and_an_unlocked_one_gets_both()
    {
        using var serve = new ServeProcess();
        await serve.WaitForAllRecordingAsync();
        using var client = new ConsoleClient(serve.Console);

        // Locked: every live and still address sends the browser to the login page, with nothing of the camera.
        foreach (var path in new[] { "/console/live", "/console/live/front", "/console/live/front/socket", "/console/stills/front" })
        {
            using var locked = await client.Get(path);
            Assert.Equal(HttpStatusCode.Redirect, locked.StatusCode);
            Assert.Equal("/console/login", locked.Headers.Location?.OriginalString);
            Assert.Empty(await locked.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        }
        await Assert.ThrowsAsync<WebSocketException>(() => OpenSocketAsync(serve, client, origin: serve.Console));

        using (var unlocked = await client.Unlock())
        {
            Assert.Equal(HttpStatusCode.Redirect, unlocked.StatusCode);
        }
        using (var still = await client.Get("/console/stills/front"))
        {
            Assert.Equal(HttpStatusCode.OK, still.StatusCode);
            Assert.Equal("image/jpeg", still.Content.Headers.ContentType?.MediaType);
            var jpeg = await still.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
            Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF }, jpeg[..3]);
            var (exit, stdout, stderr) = TestEnv.Run(TestEnv.Tool("ffprobe"),
                ["-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", "-f", "jpeg_pipe", "pipe:0"], jpeg);
            Assert.True(exit == 0, stderr);
            Assert.Equal("mjpeg,640,360", Encoding.ASCII.GetString(stdout).Trim());
        }
        using (var unknown = await client.Get("/console/stills/garage"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
        // Another site's page cannot open the socket even with the cookie.
        await Assert.ThrowsAsync<WebSocketException>(() => OpenSocketAsync(serve, client, origin: new Uri("http://evil.example")));

        // Unlocked: the MIME type with codecs, the init segment, then fragments.
        using var socket = await OpenSocketAsync(serve, client, origin: serve.Console);
        var buffer = new byte[8 << 20];
        var (type, typeLength) = await ReceiveAsync(socket, buffer);
        Assert.Equal(WebSocketMessageType.Text, type);
        Assert.Matches("^video/mp4; codecs=\"avc1\\.[0-9a-f]{6}\"$", Encoding.UTF8.GetString(buffer, 0, typeLength));
        var (initType, initLength) = await ReceiveAsync(socket, buffer);
        Assert.Equal(WebSocketMessageType.Binary, initType);
        Assert.Equal("ftyp", Encoding.ASCII.GetString(buffer, 4, 4));
        Assert.Contains("moov", Encoding.ASCII.GetString(buffer, 0, initLength), StringComparison.Ordinal);
        var (fragmentType, fragmentLength) = await ReceiveAsync(socket, buffer);
        Assert.Equal(WebSocketMessageType.Binary, fragmentType);
        Assert.Contains("moof", Encoding.ASCII.GetString(buffer, 0, Math.Min(fragmentLength, 4096)), StringComparison.Ordinal);
        Assert.Equal(1, await serve.LiveViewersAsync());

        // Locking ends the stream with the close code that tells the page not to come back, and nothing more is sent.
        using (var locking = await client.Post("/console", "/console/lock", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, locking.StatusCode);
        }
        WebSocketMessageType last;
        do
        {
            (last, _) = await ReceiveAsync(socket, buffer);
        }
        while (last != WebSocketMessageType.Close);
        Assert.Equal(4003, (int?)socket.CloseStatus);
        await WaitUntilAsync(async () => await serve.LiveViewersAsync() == 0, "live viewers back to 0 after the lock");
        using (var after = await client.Get("/console/stills/front"))
        {
            Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        }
        await Assert.ThrowsAsync<WebSocketException>(() => OpenSocketAsync(serve, client, origin: serve.Console));
    }

    [Fact]
    public async Task The_idle_timeout_ends_a_live_stream_like_the_lock_button()
    {
        // The recorder's part played by hand: a camera's tap fed with a real ffmpeg fMP4.
        var (exit, mp4, stderr) = TestEnv.Run(TestEnv.Tool("ffmpeg"), [
            "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=15", "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-g", "15",
            "-f", "mp4", "-movflags", "+frag_keyframe+empty_moov+default_base_moof", "pipe:1"]);
        Assert.True(exit == 0, stderr);
        var reader = new Fmp4Reader(new MemoryStream(mp4));
        var init = (await reader.ReadInitSegmentAsync(CancellationToken.None))!;
        var feed = new LiveFeed();
        var tap = feed.Tap("front");
        tap.Begin(init);
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var stills = new CameraStills(feed, new SupervisorSettings { FfmpegPath = TestEnv.Tool("ffmpeg") }, time);
        await using var host = await WebHost.StartAsync(o => o.ConsoleIdleMinutes = 5, time, (feed, stills));
        using var client = new ConsoleClient(host.Console);
        using (var unlocked = await client.Unlock())
        {
            Assert.Equal(HttpStatusCode.Redirect, unlocked.StatusCode);
        }
        using var socket = await OpenSocketAsync(host.Console, client, host.Console);
        var buffer = new byte[8 << 20];
        Assert.Equal(WebSocketMessageType.Text, (await ReceiveAsync(socket, buffer)).Type);
        Assert.Equal(WebSocketMessageType.Binary, (await ReceiveAsync(socket, buffer)).Type);
        var fragment = (await reader.ReadFragmentAsync(CancellationToken.None))!.Value;
        tap.Publish(fragment.Bytes, fragment.StartsWithKeyframe);
        var (_, length) = await ReceiveAsync(socket, buffer);
        Assert.Contains("moof", Encoding.ASCII.GetString(buffer, 0, Math.Min(length, 4096)), StringComparison.Ordinal);
        Assert.Equal(1, feed.Subscribers);

        // Idle past the limit: the next sweep locks the session, and with it the stream.
        time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        WebSocketMessageType last;
        do
        {
            (last, _) = await ReceiveAsync(socket, buffer);
        }
        while (last != WebSocketMessageType.Close);
        Assert.Equal(4003, (int?)socket.CloseStatus);
        await WaitUntilAsync(() => Task.FromResult(feed.Subscribers == 0), "the subscription ended with the stream");
        using var after = await client.Get("/console/live/front");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    private static Task<ClientWebSocket> OpenSocketAsync(ServeProcess serve, ConsoleClient client, Uri origin) => OpenSocketAsync(serve.Console, client, origin);

    private static async Task<ClientWebSocket> OpenSocketAsync(Uri console, ConsoleClient client, Uri origin)
    {
        var socket = new ClientWebSocket();
        socket.Options.Cookies = client.Cookies;
        socket.Options.SetRequestHeader("Origin", origin.GetLeftPart(UriPartial.Authority));
        var uri = new UriBuilder(console) { Scheme = "ws", Path = "/console/live/front/socket" }.Uri;
        try
        {
            await socket.ConnectAsync(uri, TestContext.Current.CancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>One whole message (a fragment can span many frames).</summary>
    private static async Task<(WebSocketMessageType Type, int Length)> ReceiveAsync(ClientWebSocket socket, byte[] buffer)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var length = 0;
        while (true)
        {
            var r = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            length += r.Count;
            if (r.EndOfMessage || r.MessageType == WebSocketMessageType.Close)
            {
                return (r.MessageType, length);
            }
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within 30 s: {what}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

}
