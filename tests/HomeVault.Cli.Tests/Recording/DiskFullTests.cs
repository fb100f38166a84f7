using System.Globalization;
using System.Text.Json.Nodes;
using HomeVault.Recording.Simulation;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests.Recording;

/// <summary>
/// The data directory on a small tmpfs that another program fills to the last byte. Retention frees space at
/// once (audited, oldest first), recording goes on, held footage is never deleted (then recording waits and
/// says why), a start on a full disk frees space before it needs any, and the service never ends over it.
/// </summary>
public sealed class DiskFullTests : IDisposable
{
    private readonly CamsimProcess _cams = CamsimProcess.Start(Path.Combine(TestEnv.RepoRoot, "tools", "camsim", "camsim.py"),
        new CamsimSettings { Size = "640x360", Seconds = 600, Bitrate = "2M", Mounts = ["front"] });
    private readonly string _mount = TestEnv.NewTempDir("hv-full");

    public DiskFullTests()
    {
        var r = TestEnv.Run(TestEnv.Tool("mount"), ["-t", "tmpfs", "-o", "size=40m,mode=0700", "tmpfs", _mount]);
        Assert.True(r.Exit == 0, "mount tmpfs (the tests run as root): " + r.Stderr);
    }

    public void Dispose()
    {
        _cams.Dispose();
        TestEnv.Run(TestEnv.Tool("umount"), ["-l", _mount]);
    }

    /// <summary>
    /// Another program takes every free byte (a preallocated file, then whatever dd can still write), or all but
    /// <paramref name="leave"/> of them.
    /// </summary>
    private string Fill(string name, long leave = 0)
    {
        var path = Path.Combine(_mount, name);
        var free = new DriveInfo(_mount).AvailableFreeSpace - leave;
        TestEnv.Run(TestEnv.Tool("fallocate"), ["-l", free.ToString(CultureInfo.InvariantCulture), path]);
        if (leave == 0)
        {
            TestEnv.Run(TestEnv.Tool("dd"), ["if=/dev/zero", $"of={path}.tail", "bs=4k"]);
        }
        Assert.True(new DriveInfo(_mount).AvailableFreeSpace < leave + (64 * 1024), "the disk is not full");
        return path;
    }

    private static void Unfill(string path)
    {
        File.Delete(path);
        File.Delete(path + ".tail");
    }

    [Fact]
    public async Task A_full_disk_never_stops_the_recorder_and_held_footage_is_never_deleted()
    {
        var pass = Path.Combine(_mount, "..", Path.GetFileName(_mount) + ".pass");
        File.WriteAllText(pass, "correct horse battery staple\n");
        var data = Path.Combine(_mount, "data");
        var init = Homevault.Run("init", "--data", data, "--owner", "alice", "--passphrase-file", pass);
        Assert.True(init.Exit == 0, init.Stderr);
        // MinFreeBytes 8 MB: a 2 MB reserve, and recording needs 4 MB of room. Webhooks go to a real receiver.
        using var hooks = new HookReceiver();
        var config = ServeHarness.WriteConfig(Path.GetDirectoryName(pass)!, data, [new { Name = "front", Url = _cams.Urls["front"], ClipSeconds = 2 }],
            minFreeBytes: 8_000_000, webhook: hooks.Url);
        using var serve = new ServeHarness(data, config);
        var p = serve.Start();
        // About 6 MB of footage: more than the room recording needs, so retention has something to free.
        serve.WaitFor(() => serve.SqlLong("SELECT count(*) FROM clips WHERE state = 'complete'") >= 12, "twelve clips", p, seconds: 120);
        Assert.True(File.Exists(Path.Combine(data, "space.reserve")), "no space reserve");

        // 1. Filled by someone else: the oldest footage goes (logged), and recording goes on.
        var filler = Fill("filler");
        var filledAt = ServeHarness.Ms(DateTimeOffset.UtcNow);
        serve.WaitFor(() => serve.SqlLong($"SELECT count(*) FROM clips WHERE state IN ('complete', 'deleted') AND start_ms > {filledAt}") >= 2, "recording after the disk filled", p);
        Assert.True(serve.SqlLong("SELECT count(*) FROM clips WHERE state = 'deleted' AND delete_reason = 'retention: low free space'") >= 1, serve.Log);

        // 2. Everything left is on legal hold: nothing may be deleted, so recording waits, and says why.
        var held = serve.Sql("SELECT min(start_ms) || ' ' || max(end_ms) FROM clips WHERE state IN ('complete', 'truncated')").Split(' ');
        var request = RequestFixture.Request("preservation");
        request["scope"]!["cameras"] = new JsonArray("front");
        request["scope"]!["from"] = RequestFixture.Iso(DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(held[0], CultureInfo.InvariantCulture)).AddSeconds(-10));
        request["scope"]!["to"] = RequestFixture.Iso(DateTimeOffset.UtcNow.AddSeconds(-1));
        var submit = Homevault.Run("requests", "submit", "--data", data, "--file", RequestFixture.Write(Path.GetDirectoryName(pass)!, request));
        Assert.True(submit.Exit == 0, submit.Stderr);
        var heldClips = serve.Sql($"SELECT path FROM clips WHERE state IN ('complete', 'truncated') AND end_ms <= {long.Parse(held[1], CultureInfo.InvariantCulture)}").Split('\n');
        // What retention freed meanwhile is taken too: only held footage and what follows it are left. All but 1 MB: the
        // recorder may already have released its reserve to log with (the hold can stop retention before this fill),
        // and a program that takes that too leaves no byte for the status file this step reads (the log still says it).
        var filler1b = Fill("filler1b", leave: 1 << 20);
        var status = Path.Combine(data, "status", "cameras.json");
        serve.WaitFor(() => File.ReadAllText(status).Contains("diskFull", StringComparison.Ordinal)
            && File.ReadAllText(status).Contains("legal hold", StringComparison.Ordinal), "the recorder to say the disk is full of held footage", p);
        var camerasStatus = Homevault.Run("cameras", "status", "--data", data);
        Assert.Contains("disk full", camerasStatus.Stdout, StringComparison.Ordinal);
        Assert.All(heldClips, c => Assert.True(File.Exists(Path.Combine(data, c)), $"held clip {c} deleted"));
        Assert.Contains("recording stopped for lack of space", serve.Log, StringComparison.Ordinal);
        using (var http = new HttpClient())
        {
            var metrics = await http.GetStringAsync(new Uri(serve.ConsoleUrl(), "/metrics"), TestContext.Current.CancellationToken);
            Assert.Contains("homevault_disk_full 1", metrics, StringComparison.Ordinal);
        }
        serve.WaitFor(() => hooks.Bodies.Any(b => b.Contains("camera.fault", StringComparison.Ordinal) && b.Contains("legal hold", StringComparison.Ordinal)),
            "a camera.fault webhook naming the held footage", p);

        // 3. Room again: recording resumes, and the time without room is a gap with its cause.
        Unfill(filler);
        Unfill(filler1b);
        var roomAt = ServeHarness.Ms(DateTimeOffset.UtcNow);
        serve.WaitFor(() => serve.SqlLong($"SELECT count(*) FROM clips WHERE state IN ('complete', 'deleted') AND start_ms > {roomAt}") >= 1, "recording after room came back", p);
        serve.WaitFor(() => serve.SqlLong("SELECT count(*) FROM gaps WHERE cause LIKE 'disk full%' AND end_ms IS NOT NULL") >= 1, "a disk-full gap", p);
        serve.Stop(p);

        // 4. A start on a disk that is full to the last byte frees space before it needs any and records.
        var filler2 = Fill("filler2");
        var restartAt = ServeHarness.Ms(DateTimeOffset.UtcNow);
        p = serve.Start();
        serve.WaitFor(() => File.Exists(status) && File.ReadAllText(status).Contains($"\"processId\": {p.Id},", StringComparison.Ordinal), "the recorder restarted on a full disk to run", p);
        Unfill(filler2);
        serve.WaitFor(() => serve.SqlLong($"SELECT count(*) FROM clips WHERE state IN ('complete', 'deleted') AND start_ms > {restartAt}") >= 1, "recording after the full start", p);
        serve.Stop(p);
        Assert.All(heldClips, c => Assert.True(File.Exists(Path.Combine(data, c)), $"held clip {c} deleted"));

        var verify = Homevault.Run("audit", "verify", "--data", data);
        Assert.True(verify.Exit == 0, verify.Stdout + verify.Stderr + serve.Log);
    }

    [Fact]
    public void A_fatal_error_in_the_recorder_exits_non_zero()
    {
        var (dir, data, _) = Homevault.Init();
        File.WriteAllText(Path.Combine(data, "catalog.db"), "this is not a database, and not a full disk either");
        File.Delete(Path.Combine(data, "catalog.db-wal"));
        var config = ServeHarness.WriteConfig(dir, data, [new { Name = "front", Url = _cams.Urls["front"] }]);
        using var serve = new ServeHarness(data, config);
        var p = serve.Start();
        Assert.True(p.WaitForExit(60_000), "serve kept running on a broken catalog");
        Assert.True(p.ExitCode != 0, $"serve exited 0 after a fatal error:\n{serve.Log}");
    }
}
