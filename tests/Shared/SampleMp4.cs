namespace HomeVault.Tests;

/// <summary>Real fragmented MP4 that ffmpeg encodes once per test process, as the ingest writes it.</summary>
internal static class SampleMp4
{
    /// <summary>6 s of 320x180 H.264 at 15 fps (a keyframe every 15 frames) with AAC audio: six 1 s fragments.</summary>
    public static byte[] Fragmented => Bytes.Value;

    private static readonly Lazy<byte[]> Bytes = new(() =>
    {
        var dir = TestEnv.NewTempDir("hv-sample");
        var path = Path.Combine(dir, "sample.mp4");
        var (exit, _, err) = TestEnv.Run(TestEnv.Tool("ffmpeg"), [
            "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=15", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000",
            "-t", "6", "-c:v", "libx264", "-preset", "ultrafast", "-g", "15", "-keyint_min", "15", "-sc_threshold", "0", "-bf", "0",
            "-c:a", "aac", "-f", "mp4", "-movflags", "+frag_keyframe+empty_moov+default_base_moof", path]);
        Assert.True(exit == 0, err);
        var bytes = File.ReadAllBytes(path);
        Directory.Delete(dir, true);
        return bytes;
    });
}
