using System.Net;
using HomeVault.Tests;

namespace HomeVault.Web.Tests;

/// <summary>`/healthz` of a real `homevault serve`: what a monitor hears while cameras record, are down, or are none.</summary>
public sealed class HealthTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Healthz_names_a_camera_that_is_down_and_why_while_the_intake_stays_a_liveness_ok()
    {
        using var serve = new ServeProcess(camsim: true, [("garage", $"rtsp://127.0.0.1:{LoopbackPort.Closed()}/garage")]);
        // camsim's front records; nothing answers for the garage, so the recorder keeps retrying it.
        var (code, body) = await WaitFor(serve.Console, (c, b) => c == HttpStatusCode.ServiceUnavailable
            && b.StartsWith("1 of 2 cameras not recording\ngarage: ", StringComparison.Ordinal) && !b.Contains("garage: connecting", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        var lines = body.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains("refused", lines[1], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("front", body, StringComparison.Ordinal);

        using var intake = new HttpClient { BaseAddress = serve.Intake };
        using var live = await intake.GetAsync("/api/healthz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("ok\n", await live.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Healthz_is_ok_once_every_camera_records()
    {
        using var serve = new ServeProcess();
        var (code, body) = await WaitFor(serve.Console, (c, _) => c == HttpStatusCode.OK);
        Assert.Equal((HttpStatusCode.OK, "ok\n"), (code, body));
    }

    [Fact]
    public async Task A_recorder_without_cameras_is_healthy_as_configured()
    {
        using var serve = new ServeProcess(camsim: false, []);
        var (code, body) = await WaitFor(serve.Console, (c, _) => c == HttpStatusCode.OK);
        Assert.Equal((HttpStatusCode.OK, "ok: no cameras configured\n"), (code, body));
    }

    [Fact]
    public async Task Without_a_recorder_publishing_status_healthz_is_503()
    {
        // The web side alone, as when the recorder has stopped or hangs: nothing publishes status/cameras.json.
        await using var host = await WebHost.StartAsync();
        using var client = new HttpClient { BaseAddress = host.Console };
        using var response = await client.GetAsync("/healthz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("recorder not running: it publishes no status\n", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>Asks /healthz until <paramref name="done"/> holds or <see cref="Bound"/> passes; returns the last answer.</summary>
    private static async Task<(HttpStatusCode Code, string Body)> WaitFor(Uri console, Func<HttpStatusCode, string, bool> done)
    {
        using var client = new HttpClient { BaseAddress = console };
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            using var response = await client.GetAsync("/healthz", TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
            if (done(response.StatusCode, body) || DateTime.UtcNow > deadline)
            {
                return (response.StatusCode, body);
            }
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }
}
