using System.Diagnostics;
using System.Text;
using System.Text.Json;
using HomeVault.Recording.Simulation;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

/// <summary>
/// The recorder as a real process against real RTSP cameras (GStreamer RTSP server), with a
/// SIGKILL in the middle of a clip and the recovery on the next start.
/// </summary>
public sealed class RecorderEndToEndTests : IDisposable
{
    private readonly CamsimProcess _cams = CamsimProcess.Start(Path.Combine(TestEnv.RepoRoot, "tools", "camsim", "camsim.py"),
        new CamsimSettings { Size = "640x360", Seconds = 300, Mounts = ["front", "drive"] });
    private readonly ServeProcesses _serve = new();

    public void Dispose()
    {
        _serve.Dispose();
        _cams.Dispose();
    }

    private Process StartServe(string config) => _serve.Start(config);

    private static List<JsonElement> Clips(string data) => ServeProcesses.Clips(data);

    private static string Sql(string db, string query) => ServeProcesses.Sql(db, query);

    private string WriteConfig(string dir, string data, int clipSeconds) => ServeProcesses.WriteConfig(dir, data, _cams.Urls, clipSeconds);

    [Fact]
    public void Sigterm_seals_each_open_clip_complete_with_its_last_fragment()
    {
        var (dir, data, pass) = Homevault.Init();
        // Clips far longer than the run: at SIGTERM each camera has exactly one clip, open.
        var config = WriteConfig(dir, data, clipSeconds: 600);
        var db = Path.Combine(data, "catalog.db");
        var serve = StartServe(config);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (Sql(db, "SELECT count(*) FROM clips WHERE state = 'recording' AND end_ms - start_ms >= 3000") != "2" && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(500);
        }
        Assert.Equal("2", Sql(db, "SELECT count(*) FROM clips WHERE state = 'recording' AND end_ms - start_ms >= 3000"));

        var stoppedAt = DateTimeOffset.UtcNow;
        ServeProcesses.Stop(serve);

        var clips = Clips(data);
        Assert.Equal(2, clips.Count);
        foreach (var clip in clips)
        {
            Assert.Equal("complete", clip.GetProperty("state").GetString());
            var start = DateTimeOffset.Parse(clip.GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            var end = DateTimeOffset.Parse(clip.GetProperty("end").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            // Footage up to the stop is in the clip (ffmpeg's last fragment included), as after a SIGKILL at most.
            Assert.True(stoppedAt - end <= TimeSpan.FromSeconds(3), $"lost {(stoppedAt - end).TotalSeconds:0.0} s of {clip.GetProperty("camera")}");

            // Whole: age authenticates the final chunk (no --salvage), and the MP4 plays to its catalogued end.
            var plain = Path.Combine("/dev/shm", $"hv-sigterm-{Guid.NewGuid():N}.mp4");
            try
            {
                var d = Homevault.Run("decrypt", "--data", data, "--passphrase-file", pass, "-o", plain, Path.Combine(data, clip.GetProperty("path").GetString()!));
                Assert.True(d.Exit == 0, d.Stderr);
                var decode = TestEnv.Run(TestEnv.Tool("ffmpeg"), ["-v", "error", "-i", plain, "-f", "null", "-"]);
                Assert.True(decode.Exit == 0 && decode.Stderr.Length == 0, decode.Stderr);
                var probe = TestEnv.Run(TestEnv.Tool("ffprobe"), ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", plain]);
                var seconds = double.Parse(Encoding.UTF8.GetString(probe.Stdout).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                Assert.InRange(seconds, (end - start).TotalSeconds - 0.2, (end - start).TotalSeconds + 0.2);
            }
            finally
            {
                File.Delete(plain);
            }
        }
        Assert.Equal("2", Sql(db, "SELECT count(*) FROM recording_runs WHERE end_reason = 'cancelled'"));
        // No gap but the one before the first fragment and the moment between the last fragment and the stop.
        Assert.Equal("2", Sql(db, "SELECT count(*) FROM gaps WHERE cause = 'recorder starting' AND end_ms IS NOT NULL"));
        Assert.Equal("", Sql(db, "SELECT cause FROM gaps WHERE cause NOT IN ('recorder starting', 'cancelled')"));
    }

    [Fact]
    public void Sigkill_mid_clip_loses_at_most_about_two_fragments_and_the_next_start_recovers()
    {
        var (dir, data, pass) = Homevault.Init();
        var config = WriteConfig(dir, data, clipSeconds: 4);
        var db = Path.Combine(data, "catalog.db");

        var serve = StartServe(config);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (Clips(data).Count < 4 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(500);
        }
        Assert.True(Clips(data).Count >= 4, "the recorder sealed no clips within 90 s");
        var status = Homevault.Run("cameras", "status", "--data", data);
        Assert.True(status.Exit == 0, status.Stderr);
        Assert.StartsWith("recorder running", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("front        recording", status.Stdout, StringComparison.Ordinal);
        // camsim's H.264 without audio: auto picks native, which by now has camsim's RTCP sender reports (sent every few seconds).
        Assert.Matches(@"(?m)^front .*ingest: native, camera clock [+-]\d+\.\d s", status.Stdout);
        var cameraProbe = Homevault.Run("cameras", "test", "drive", "--config", config);
        Assert.True(cameraProbe.Exit == 0, cameraProbe.Stderr);
        Assert.Equal("drive: video h264 640x360 @ 15 fps; audio none", cameraProbe.Stdout.Trim());

        // Wait until both cameras are mid-clip with durable progress, then kill without warning.
        Thread.Sleep(2500);
        Assert.Equal("2", Sql(db, "SELECT count(*) FROM clips WHERE state = 'recording'"));
        var killedAt = DateTimeOffset.UtcNow;
        serve.Kill(); // SIGKILL: no shutdown code runs
        serve.WaitForExit();
        Thread.Sleep(500);

        var restart = Homevault.Run("serve", "--config", config, "--duration", "6");
        Assert.True(restart.Exit == 0, restart.Stderr + restart.Stdout);
        Assert.Contains("2 clips sealed as truncated", restart.Stdout, StringComparison.Ordinal);

        var clips = Clips(data);
        var truncated = clips.Where(c => c.GetProperty("state").GetString() == "truncated").ToList();
        Assert.Equal(2, truncated.Count);
        foreach (var clip in truncated)
        {
            var end = DateTimeOffset.Parse(clip.GetProperty("end").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            // The end is that of the last fragment salvage recovers whole (CrashSalvageEndToEndTests checks it exactly).
            // The fragment before the one in progress usually ends in the 64 KiB chunk the age writer still held
            // back, so it is lost too: one GOP (2 s at 15 fps, -g 30) more than the 3 s this allowed when the catalog
            // still claimed that fragment.
            Assert.True(killedAt - end <= TimeSpan.FromSeconds(3 + 2), $"lost {(killedAt - end).TotalSeconds:0.0} s of {clip.GetProperty("camera")}");

            // The owner salvages it: the authenticated prefix is a playable fragmented MP4.
            var salvaged = Path.Combine("/dev/shm", $"hv-salvage-{Guid.NewGuid():N}.mp4");
            try
            {
                var s = Homevault.Run("decrypt", "--salvage", "--data", data, "--passphrase-file", pass, "-o", salvaged, Path.Combine(data, clip.GetProperty("path").GetString()!));
                Assert.True(s.Exit == 0, s.Stderr);
                var probe = TestEnv.Run(TestEnv.Tool("ffprobe"), ["-v", "error", "-count_packets", "-select_streams", "v:0", "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", salvaged]);
                Assert.True(int.Parse(Encoding.UTF8.GetString(probe.Stdout).Trim(), System.Globalization.CultureInfo.InvariantCulture) > 0, probe.Stderr);
            }
            finally
            {
                File.Delete(salvaged);
            }
        }
        // The crash is on the record: runs closed as crash, a gap per camera, and the log verifies.
        Assert.Equal("2", Sql(db, "SELECT count(*) FROM recording_runs WHERE end_reason = 'crash'"));
        Assert.Equal("2", Sql(db, "SELECT count(*) FROM gaps WHERE cause = 'service stopped unexpectedly'"));
        var verify = Homevault.Run("audit", "verify", "--data", data);
        Assert.True(verify.Exit == 0, verify.Stderr);
        // The configuration is logged when first used, not again on a restart with the same one.
        var log = JsonDocument.Parse(Homevault.Run("audit", "log", "--json", "--data", data).Stdout).RootElement.EnumerateArray();
        Assert.Single(log, e => e.GetProperty("action").GetString() == "config.changed");
        // The owner exports a window spanning complete clips: one MP4, joined without re-encoding, decoding cleanly.
        var front = clips.Where(c => c.GetProperty("camera").GetString() == "front" && c.GetProperty("state").GetString() == "complete").ToList();
        var from = DateTimeOffset.Parse(front[0].GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture).AddSeconds(1);
        var to = DateTimeOffset.Parse(front[2].GetProperty("end").GetString()!, System.Globalization.CultureInfo.InvariantCulture).AddSeconds(-1);
        var exported = Path.Combine("/dev/shm", $"hv-export-{Guid.NewGuid():N}.mp4");
        try
        {
            var export = Homevault.Run("clips", "export", "--data", data, "--passphrase-file", pass, "--camera", "front",
                "--from", from.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                "--to", to.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture), "-o", exported);
            Assert.True(export.Exit == 0, export.Stderr);
            var decode = TestEnv.Run(TestEnv.Tool("ffmpeg"), ["-v", "error", "-i", exported, "-f", "null", "-"]);
            Assert.True(decode.Exit == 0 && decode.Stderr.Length == 0, decode.Stderr);
            var frames = TestEnv.Run(TestEnv.Tool("ffprobe"), ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", exported]);
            var seconds = int.Parse(Encoding.UTF8.GetString(frames.Stdout).Trim(), System.Globalization.CultureInfo.InvariantCulture) / 15.0;
            var window = (to - from).TotalSeconds;
            // Trimmed at fragment (keyframe) boundaries: within about one GOP (2 s at 15 fps, -g 30) of each end.
            Assert.InRange(seconds, window - 0.5, window + 4.5);
        }
        finally
        {
            File.Delete(exported);
        }

        // New footage after the restart, and no plaintext MP4 anywhere in the data directory.
        Assert.True(clips.Count(c => c.GetProperty("state").GetString() == "complete") > 4);
        foreach (var file in Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories))
        {
            var head = new byte[16];
            using var f = File.OpenRead(file);
            var n = f.Read(head);
            Assert.False(n >= 8 && head.AsSpan(4, 4).SequenceEqual("ftyp"u8), $"{file} is a plaintext MP4");
        }
    }
}
