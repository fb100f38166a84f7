using System.Globalization;
using System.Text;
using HomeVault.Recording.Fmp4;
using HomeVault.Recording.Simulation;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

/// <summary>
/// `homevault serve` killed with SIGKILL at several points while recording real RTSP cameras (camsim), then
/// reconciled: for every truncated clip the catalog's plaintext bytes are exactly what `homevault decrypt --salvage`
/// recovers, and its end is the media end of the whole fragments in the recovered MP4.
/// </summary>
public sealed class CrashSalvageEndToEndTests : IDisposable
{
    // Short GOPs (a fragment every third of a second) at 4 Mbit/s: several fragments per sync, and age batches
    // that fill between syncs. A short clip, so this encode stays quick.
    private readonly CamsimProcess _cams = CamsimProcess.Start(Path.Combine(TestEnv.RepoRoot, "tools", "camsim", "camsim.py"),
        new CamsimSettings { Size = "640x360", Seconds = 30, Gop = 5, Mounts = ["front", "drive"] });
    private readonly ServeProcesses _serve = new();

    public void Dispose()
    {
        _serve.Dispose();
        _cams.Dispose();
    }

    [Fact]
    public async Task Every_truncated_clip_after_sigkill_claims_exactly_what_salvage_recovers()
    {
        var (dir, data, pass) = Homevault.Init();
        var config = ServeProcesses.WriteConfig(dir, data, _cams.Urls, clipSeconds: 4);
        var db = Path.Combine(data, "catalog.db");
        // Each kill point is a condition on the clips this run began (id above the last run's), for both cameras.
        var killPoints = new Func<long, bool>[]
        {
            // Early in the first clip, at its first durable progress.
            before => Count(db, $"state = 'recording' AND id > {before} AND plaintext_bytes > 0") == 2,
            // Mid second clip: each camera has sealed one and has progress in the next.
            before => Count(db, $"state = 'recording' AND plaintext_bytes > 0 AND EXISTS (SELECT 1 FROM clips c " +
                $"WHERE c.camera_id = clips.camera_id AND c.state = 'complete' AND c.id > {before})") == 2,
            // Later in a first clip, a few syncs in.
            before => Count(db, $"state = 'recording' AND id > {before} AND end_ms - start_ms >= 2500") == 2,
            // Whenever the files pass a size, by a sync or by a batch between syncs: not aligned with the rows.
            before => ServeProcesses.Sql(db, $"SELECT path FROM clips WHERE state = 'recording' AND id > {before}")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(p => new FileInfo(Path.Combine(data, p)).Length >= 1_300_000) == 2,
        };
        var expectedTruncated = 0;
        foreach (var reached in killPoints)
        {
            var before = long.Parse(ServeProcesses.Sql(db, "SELECT coalesce(max(id), 0) FROM clips"), CultureInfo.InvariantCulture);
            var serve = _serve.Start(config); // its start reconciles the previous kill's clips
            var deadline = DateTime.UtcNow.AddSeconds(60);
            // Evaluated once per look: a point is a moment (a clip still open), and a second look may find it passed.
            bool hit;
            while (!(hit = reached(before)) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
            Assert.True(hit, $"kill point {Array.IndexOf(killPoints, reached)} not reached within 60 s");
            serve.Kill(); // SIGKILL: no shutdown code runs
            serve.WaitForExit();
            expectedTruncated += Count(db, "state = 'recording'");
        }
        // The last kill's clips are reconciled by a start that records nothing.
        var idle = ServeProcesses.WriteConfig(dir, data, new Dictionary<string, string>(), clipSeconds: 4, name: "idle.json");
        var reconcile = Homevault.Run("serve", "--config", idle, "--duration", "1");
        Assert.True(reconcile.Exit == 0, reconcile.Stderr + reconcile.Stdout);
        Assert.Equal("0", ServeProcesses.Sql(db, "SELECT count(*) FROM clips WHERE state = 'recording'"));

        var rows = ServeProcesses.Sql(db, "SELECT path, start_ms, end_ms, plaintext_bytes FROM clips WHERE state = 'truncated' ORDER BY id")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(expectedTruncated >= killPoints.Length, $"only {expectedTruncated} clips were open at the kills");
        Assert.Equal(expectedTruncated, rows.Length);

        var export = Homevault.Run("keys", "export-identity", "--data", data, "--passphrase-file", pass);
        Assert.True(export.Exit == 0, export.Stderr);
        var identity = Path.Combine(dir, "identity.txt");
        File.WriteAllText(identity, export.LastLine + "\n");
        var mismatches = new StringBuilder();
        foreach (var row in rows)
        {
            var f = row.Split('|');
            var (path, catalogMs, catalogBytes) = (f[0], long.Parse(f[2], CultureInfo.InvariantCulture) - long.Parse(f[1], CultureInfo.InvariantCulture), long.Parse(f[3], CultureInfo.InvariantCulture));
            var salvaged = Path.Combine("/dev/shm", $"hv-crash-{Guid.NewGuid():N}.mp4");
            try
            {
                var s = Homevault.Run("decrypt", "--salvage", "-i", identity, "-o", salvaged, Path.Combine(data, path));
                // Less than one whole chunk recovers nothing, which salvage reports as a failure.
                Assert.True(s.Exit == 0 || s.Stderr.Contains("recovered 0 bytes", StringComparison.Ordinal), s.Stderr);
                var bytes = new FileInfo(salvaged).Length;
                var media = await WholeFragmentsMedia(salvaged);
                // The catalog keeps milliseconds of start and end: its span is within a millisecond of the media.
                if (bytes != catalogBytes || Math.Abs(catalogMs - media.TotalMilliseconds) > 1)
                {
                    mismatches.AppendLine(CultureInfo.InvariantCulture,
                        $"{path}: catalog {catalogBytes} bytes, {catalogMs} ms; salvage {bytes} bytes, {media.TotalMilliseconds:0.#} ms of whole fragments");
                }
            }
            finally
            {
                File.Delete(salvaged);
            }
        }
        Assert.True(mismatches.Length == 0, $"of {rows.Length} truncated clips:\n{mismatches}");
        var verify = Homevault.Run("audit", "verify", "--data", data);
        Assert.True(verify.Exit == 0, verify.Stderr);
    }

    private static int Count(string db, string where) =>
        int.Parse(ServeProcesses.Sql(db, $"SELECT count(*) FROM clips WHERE {where}"), CultureInfo.InvariantCulture);

    /// <summary>The summed durations of the whole fragments in a (possibly cut short) fragmented MP4, as the recorder sums them.</summary>
    private static async Task<TimeSpan> WholeFragmentsMedia(string mp4)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var file = File.OpenRead(mp4);
        var reader = new Fmp4Reader(file);
        var media = TimeSpan.Zero;
        if (await reader.ReadInitSegmentAsync(ct) is null)
        {
            return media;
        }
        while (await reader.ReadFragmentAsync(ct) is { } fragment)
        {
            media += fragment.Duration;
        }
        return media;
    }
}
