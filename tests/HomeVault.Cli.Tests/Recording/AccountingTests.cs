using System.Globalization;
using HomeVault.Recording.Simulation;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests.Recording;

/// <summary>
/// Every second of every configured camera, from the recorder's first start to its last stop and across
/// `kill -9`, is footage or a gap with its cause: a camera that records, one that flaps, and one that never
/// connects (wrong password).
/// </summary>
public sealed class AccountingTests : IDisposable
{
    private const string Password = "right-P@ss";
    private readonly CamsimProcess _cams = CamsimProcess.Start(Path.Combine(TestEnv.RepoRoot, "tools", "camsim", "camsim.py"),
        new CamsimSettings { Size = "640x360", Seconds = 300, Mounts = ["front"] },
        ["--flap-mount", "flappy", "--flap-up", "4", "--flap-down", "3", "--auth-mount", "locked"],
        environment: new Dictionary<string, string> { ["CAMSIM_AUTH"] = "viewer:" + Password });

    public void Dispose() => _cams.Dispose();

    [Fact]
    public void Across_repeated_kill_9_every_second_of_every_camera_is_footage_or_a_gap_and_a_dead_camera_adds_few_audit_entries()
    {
        var (dir, data, _) = Homevault.Init();
        var wrong = Path.Combine(dir, "locked.credentials");
        File.WriteAllText(wrong, "viewer:not-the-password\n");
        var config = ServeHarness.WriteConfig(dir, data,
        [
            new { Name = "front", Url = _cams.Urls["front"], ClipSeconds = 4 },
            new { Name = "flappy", Url = _cams.Urls["flappy"], ClipSeconds = 4 },
            new { Name = "locked", Url = _cams.Urls["locked"], ClipSeconds = 4, CredentialsFile = wrong },
        ]);
        using var serve = new ServeHarness(data, config);

        const int Crashes = 4;
        for (var cycle = 0; cycle <= Crashes; cycle++)
        {
            var before = serve.SqlLong("SELECT count(*) FROM clips WHERE camera_id = (SELECT id FROM cameras WHERE name = 'front')");
            var p = serve.Start();
            // Footage of this start reached the catalog: a new clip of the front camera with durable progress.
            serve.WaitFor(() => serve.SqlLong("SELECT count(*) FROM clips WHERE camera_id = (SELECT id FROM cameras WHERE name = 'front') AND end_ms > start_ms") > before,
                $"footage in cycle {cycle}", p);
            if (cycle < Crashes)
            {
                ServeHarness.Kill9(p);
            }
            else
            {
                var stopAsked = ServeHarness.Ms(DateTimeOffset.UtcNow);
                serve.Stop(p);
                var first = serve.SqlLong("SELECT min(start_ms) FROM gaps WHERE cause LIKE 'recorder starting%'");
                foreach (var camera in new[] { "front", "flappy", "locked" })
                {
                    serve.AssertEverySecondAccounted(camera, first, stopAsked);
                }
            }
        }

        // Every crash is a gap with that cause, for every camera; the dead camera has no runs, and one gap per start.
        foreach (var camera in new[] { "front", "flappy", "locked" })
        {
            Assert.True(serve.SqlLong($"SELECT count(*) FROM gaps WHERE cause LIKE '%service stopped unexpectedly%' AND camera_id = (SELECT id FROM cameras WHERE name = '{camera}')") >= Crashes,
                $"{camera}: a crash without its gap; its gaps: " + serve.Sql($"SELECT group_concat(start_ms || '..' || coalesce(end_ms, 'open') || ' ' || cause, ' | ') FROM gaps WHERE camera_id = (SELECT id FROM cameras WHERE name = '{camera}')")
                + "; its runs: " + serve.Sql($"SELECT group_concat(started_ms || '..' || coalesce(ended_ms, 'open') || ' ' || coalesce(end_reason, ''), ' | ') FROM recording_runs WHERE camera_id = (SELECT id FROM cameras WHERE name = '{camera}')"));
        }
        Assert.Equal(0, serve.SqlLong("SELECT count(*) FROM recording_runs WHERE camera_id = (SELECT id FROM cameras WHERE name = 'locked')"));
        var lockedLeaves = serve.SqlLong("SELECT count(*) FROM audit_entries WHERE CAST(entry AS TEXT) LIKE '%camera/locked%'");
        Assert.InRange(lockedLeaves, 1, Crashes + 1);
        Assert.Contains("401", serve.Sql("SELECT group_concat(cause, ' | ') FROM gaps WHERE camera_id = (SELECT id FROM cameras WHERE name = 'locked')"), StringComparison.Ordinal);

        var verify = Homevault.Run("audit", "verify", "--data", data);
        Assert.True(verify.Exit == 0, verify.Stdout + verify.Stderr);
    }

    [Fact]
    public void A_clean_stop_closes_the_books_of_a_camera_in_backoff()
    {
        var (dir, data, _) = Homevault.Init();
        var wrong = Path.Combine(dir, "locked.credentials");
        File.WriteAllText(wrong, "viewer:not-the-password\n");
        var config = ServeHarness.WriteConfig(dir, data, [new { Name = "locked", Url = _cams.Urls["locked"], CredentialsFile = wrong }]);
        using var serve = new ServeHarness(data, config);
        var p = serve.Start();
        serve.WaitFor(() => File.Exists(Path.Combine(data, "status", "cameras.json"))
            && File.ReadAllText(Path.Combine(data, "status", "cameras.json")).Contains("401 Unauthorized", StringComparison.Ordinal), "a failed attempt", p);
        var stopAsked = ServeHarness.Ms(DateTimeOffset.UtcNow);
        serve.Stop(p);

        var gap = serve.Sql("SELECT start_ms || ' ' || end_ms || ' ' || cause FROM gaps").Split(' ', 3);
        Assert.True(long.Parse(gap[1], CultureInfo.InvariantCulture) >= stopAsked, "the gap ends before the stop");
        Assert.StartsWith("recorder starting; then ", gap[2], StringComparison.Ordinal);
        serve.AssertEverySecondAccounted("locked", long.Parse(gap[0], CultureInfo.InvariantCulture), stopAsked);
    }
}
