using HomeVault.Core.Recorder;
using HomeVault.Recording.Configuration;
using HomeVault.Recording.Simulation;
using HomeVault.Recording.Tests.Support;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Rtsp;

/// <summary>rtsps:// through the native client against camsim serving TLS with a self-signed certificate made here by openssl.</summary>
public sealed class TlsIngestTests
{
    [Fact]
    public async Task A_pinned_self_signed_camera_records_natively_a_wrong_pin_and_plain_validation_refuse_it_in_one_line()
    {
        var dir = TestEnv.NewTempDir("hv-tls");
        try
        {
            var (key, cert, both) = (Path.Combine(dir, "key.pem"), Path.Combine(dir, "cert.pem"), Path.Combine(dir, "both.pem"));
            var (made, _, why) = TestEnv.Run(TestEnv.Tool("openssl"), ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=camera", "-addext", "subjectAltName=IP:127.0.0.1"], timeoutMs: 30_000);
            Assert.True(made == 0, why);
            File.WriteAllText(both, File.ReadAllText(cert) + File.ReadAllText(key));
            var (exit, stdout, stderr) = TestEnv.Run(TestEnv.Tool("openssl"), ["x509", "-in", cert, "-noout", "-fingerprint", "-sha256"], timeoutMs: 30_000);
            Assert.True(exit == 0, stderr);
            var pin = System.Text.Encoding.ASCII.GetString(stdout).Trim().Split('=')[1]; // "sha256 Fingerprint=AB:CD:..."
            var wrong = (pin[0] == 'A' ? "B" : "A") + pin[1..];

            using var camsim = CamsimProcess.Start(Path.Combine(TestEnv.RepoRoot, "tools", "camsim", "camsim.py"),
                new CamsimSettings
                {
                    Size = "640x360", Fps = 15, Seconds = 60, Bitrate = "600k", Gop = 30,
                    CacheDirectory = Path.Combine(Path.GetTempPath(), "homevault-camsim-cache"),
                },
                ["--tls-mount", "tcam", "--tls-cert", both],
                readyTimeout: TimeSpan.FromSeconds(180));
            var url = camsim.Urls["tcam"];
            Assert.StartsWith("rtsps://", url, StringComparison.Ordinal);

            using var h = new Harness();
            var pinned = Harness.Camera("pinned", url);
            pinned.TlsFingerprint = pin;
            var mispinned = Harness.Camera("mispinned", url);
            mispinned.TlsFingerprint = wrong;
            await h.RecordAsync(TimeSpan.FromSeconds(10), pinned, mispinned, Harness.Camera("unpinned", url));

            NativeIngestTests.AssertWholeClips(h.Sink.For("pinned"), "h264", "avc1");
            Assert.Equal("native", h.Health("pinned").Ingest);
            Assert.All(h.Journal.RunsOf("pinned"), r => Assert.Equal("cancelled", r.Reason)); // no TLS read failed on the way
            h.AssertEverySecondAccounted("pinned");

            foreach (var (camera, reason) in new[] { ("mispinned", "is not the pinned one"), ("unpinned", "not issued by an authority the system trusts") })
            {
                Assert.Empty(h.Sink.For(camera));
                var health = h.Health(camera);
                Assert.Equal("native", health.Ingest); // refused, never handed to ffmpeg (which would not check the certificate)
                Assert.StartsWith("tls: the camera's certificate", health.LastError, StringComparison.Ordinal);
                Assert.Contains(reason, health.LastError, StringComparison.Ordinal);
                Assert.Contains(h.Logger.Lines, l => l.Contains($"Camera {camera}: cannot start: tls:", StringComparison.Ordinal) && l.Contains(reason, StringComparison.Ordinal));
                Assert.Empty(h.Journal.RunsOf(camera));
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
