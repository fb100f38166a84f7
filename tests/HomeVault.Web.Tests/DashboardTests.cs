using System.Globalization;
using System.Net;

namespace HomeVault.Web.Tests;

/// <summary>The dashboard shows what the recorder publishes: each camera's open gap and why recording waits.</summary>
public sealed class DashboardTests
{
    [Fact]
    public async Task A_camera_without_footage_shows_since_when_and_why_and_a_full_disk_says_recording_stopped()
    {
        await using var host = await WebHost.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var since = now.AddMinutes(-3).ToString("O", CultureInfo.InvariantCulture);
        // Exactly what the recorder writes to status/cameras.json (camelCase, enum names in camelCase).
        Directory.CreateDirectory(Path.Combine(host.Data, "status"));
        File.WriteAllText(Path.Combine(host.Data, "status", "cameras.json"), $$"""
            {
              "written": "{{now.ToString("O", CultureInfo.InvariantCulture)}}",
              "processId": 4242,
              "cameras": [
                { "name": "front", "state": "diskFull", "lastFragmentAt": null, "bytes": 0, "clips": 0, "runs": 0,
                  "lastError": "disk full", "nextAttemptAt": null, "gapSince": "{{since}}",
                  "gapCause": "disk full: no space; then 2 failed attempt(s), last: exit 1: 401 Unauthorized" },
                { "name": "porch", "state": "recording", "lastFragmentAt": null, "bytes": 0, "clips": 0, "runs": 1,
                  "lastError": null, "nextAttemptAt": null, "ingest": "native", "cameraClockSeconds": -3.21 }
              ],
              "storageProblem": "disk full (0 bytes free): retention can delete nothing more (7 clips on legal hold are kept)"
            }
            """);
        using var client = new ConsoleClient(host.Console);
        using var unlocked = await client.Unlock();
        using var dashboard = await client.Get("/console");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        var html = await dashboard.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Not recording: disk full (0 bytes free): retention can delete nothing more (7 clips on legal hold are kept)", html, StringComparison.Ordinal);
        Assert.Contains("disk full: no space; then 2 failed attempt(s), last: exit 1: 401 Unauthorized", html, StringComparison.Ordinal);
        Assert.Contains("diskfull", html, StringComparison.Ordinal);
        Assert.Contains("recording (camera clock -3.2 s)", html, StringComparison.Ordinal); // a native camera's clock, from its RTCP sender reports
    }

    [Fact]
    public async Task The_replica_lag_and_its_last_error_are_shown_while_the_replicator_publishes_them()
    {
        await using var host = await WebHost.StartAsync();
        Directory.CreateDirectory(Path.Combine(host.Data, "status"));
        new Core.Replica.ReplicaStatusFile(DateTimeOffset.UtcNow, 4, 3_000_000, 12.5, 9, "HttpRequestException: Connection refused (127.0.0.1:9)", NeverReplicated: 1)
            .Write(new Core.DataDirectory(host.Data));
        using var client = new ConsoleClient(host.Console);
        using var unlocked = await client.Unlock();
        using var dashboard = await client.Get("/console");

        var html = await dashboard.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Matches(@"<p class=""warn"" id=""replica"">Off-site replica: 4 clip\(s\), [^,]+, 12\.5 s behind; 1 clip\(s\) deleted locally under low free space before they were replicated; last error: HttpRequestException: Connection refused \(127\.0\.0\.1:9\)\.</p>", html);
    }
}
