using System.Globalization;
using System.Text.Json;
using HomeVault.Recording.Simulation;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

/// <summary>
/// One recorder per data directory, between real processes: a second `serve` (or `demo`) is refused before it
/// touches anything, the first records on untouched, and a kill -9 frees the directory with the process.
/// </summary>
public sealed class RecorderLockTests : IDisposable
{
    private readonly CamsimProcess _cams = CamsimProcess.Start(Path.Combine(TestEnv.RepoRoot, "tools", "camsim", "camsim.py"),
        new CamsimSettings { Size = "640x360", Seconds = 300, Mounts = ["front"] });
    private readonly ServeProcesses _serve = new();

    public void Dispose()
    {
        _serve.Dispose();
        _cams.Dispose();
    }

    private string Config(string dir, string name, string data, int clipSeconds, (string, string)? http = null) =>
        ServeProcesses.WriteConfig(Path.Combine(dir, name), data, [("front", _cams.Urls["front"], clipSeconds, null)], http);

    /// <summary>The refusal: exit 1, nothing on stdout (no reconcile, no recording), one line naming the holder.</summary>
    private static void AssertRefused(Homevault.Result second, int holder)
    {
        Assert.Equal(1, second.Exit);
        Assert.Equal("", second.Stdout);
        var line = Assert.Single(second.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains($"is in use by another HomeVault recorder (PID {holder.ToString(CultureInfo.InvariantCulture)})", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_recorder_is_refused_naming_the_holder_and_the_first_records_on_untouched()
    {
        var (dir, data, _) = Homevault.Init();
        var db = Path.Combine(data, "catalog.db");
        // One clip far longer than the test: it stays open, as the clip a reconcile would wrongly seal.
        var serve = _serve.Start(Config(dir, "first.json", data, 600, ("http://127.0.0.1:0", "http://127.0.0.1:0")));
        const string open = "SELECT id || ' ' || end_ms || ' ' || path FROM clips WHERE state = 'recording' AND end_ms - start_ms >= 3000";
        ServeProcesses.WaitUntil(() => ServeProcesses.Sql(db, open).Length > 0, 90, "the first recorder has an open clip with progress");
        var http = Path.Combine(data, "status", "http.json");
        ServeProcesses.WaitUntil(() => File.Exists(http), 30, "the first recorder published its HTTP addresses");
        using var addresses = JsonDocument.Parse(File.ReadAllText(http));
        var ports = (addresses.RootElement.GetProperty("intake")[0].GetString()!, addresses.RootElement.GetProperty("console")[0].GetString()!);
        var before = ServeProcesses.Sql(db, open).Split(' ');
        var clipFile = Path.Combine(data, before[2]);
        var sizeBefore = new FileInfo(clipFile).Length;

        // The same ports (it would fail to bind, later) and free ones (it would record beside the first).
        AssertRefused(Homevault.Run("serve", "--config", Config(dir, "same-ports.json", data, 600, ports)), serve.Id);
        AssertRefused(Homevault.Run("serve", "--config", Config(dir, "other-ports.json", data, 600, ("http://127.0.0.1:0", "http://127.0.0.1:0"))), serve.Id);
        AssertRefused(Homevault.Run("serve", "--config", Config(dir, "no-web.json", data, 4)), serve.Id);
        var demo = Homevault.Run("demo", "--data", data);
        Assert.Equal(1, demo.Exit);
        Assert.Contains($"(PID {serve.Id.ToString(CultureInfo.InvariantCulture)})", Assert.Single(demo.Stderr.TrimEnd('\n').Split('\n')), StringComparison.Ordinal);

        // Everything else works beside the recorder.
        foreach (var args in new[] { ["clips", "list"], ["audit", "verify"], ["cameras", "status"], ["requests", "list"], (string[])["releases", "list"] })
        {
            var r = Homevault.Run([.. args, "--data", data]);
            Assert.True(r.Exit == 0, $"{string.Join(' ', args)}: {r.Stderr}");
        }

        // The first recorder's clip is the same, still open, and keeps growing on disk and in the catalog.
        ServeProcesses.WaitUntil(() => ServeProcesses.Sql(db, open).Split(' ') is [var id, var end, _]
            && id == before[0] && long.Parse(end, CultureInfo.InvariantCulture) > long.Parse(before[1], CultureInfo.InvariantCulture)
            && new FileInfo(clipFile).Length > sizeBefore, 30, "the open clip grew");
        Assert.False(serve.HasExited);
        Assert.Equal("0", ServeProcesses.Sql(db, "SELECT count(*) FROM clips WHERE state <> 'recording'"));

        ServeProcesses.Stop(serve);
        var output = _serve.Output(serve);
        Assert.Contains("0 clips sealed as truncated", output, StringComparison.Ordinal);
        Assert.DoesNotContain("sink error", output, StringComparison.Ordinal);
        var clips = ServeProcesses.Clips(data);
        Assert.Equal(["complete"], clips.Select(c => c.GetProperty("state").GetString()));
        var verify = Homevault.Run("audit", "verify", "--data", data);
        Assert.True(verify.Exit == 0, verify.Stderr);
    }

    [Fact]
    public void After_kill_9_of_the_holder_a_new_recorder_starts_and_reconciles()
    {
        var (dir, data, _) = Homevault.Init();
        var db = Path.Combine(data, "catalog.db");
        var config = Config(dir, "homevault.json", data, 600);
        var serve = _serve.Start(config);
        ServeProcesses.WaitUntil(() => ServeProcesses.Sql(db, "SELECT count(*) FROM clips WHERE state = 'recording' AND end_ms > start_ms") == "1",
            90, "the recorder has an open clip with progress");
        AssertRefused(Homevault.Run("serve", "--config", config, "--duration", "6"), serve.Id);

        serve.Kill(); // SIGKILL to serve alone: no shutdown code runs, and its ffmpeg may outlive it for a moment
        serve.WaitForExit();

        var restart = Homevault.Run("serve", "--config", config, "--duration", "6");
        Assert.True(restart.Exit == 0, restart.Stderr + restart.Stdout);
        Assert.Contains("1 clips sealed as truncated", restart.Stdout, StringComparison.Ordinal);
        var verify = Homevault.Run("audit", "verify", "--data", data);
        Assert.True(verify.Exit == 0, verify.Stderr);
    }
}
