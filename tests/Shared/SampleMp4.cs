namespace HomeVault.Tests;

/// <summary>Real fragmented MP4 that ffmpeg encodes once per test process, as the ingest writes it.</summary>
internal static class SampleMp4
{
    /// <summary>6 s of 320x180 H.264 at 15 fps (a keyframe every 15 frames) with AAC audio: six 1 s fragments.</summary>
    public static byte[] Fragmented => Bytes.Value;

    /// <summary>
    /// The same picture and sound in fragments of about half a second and groups of pictures of 2 s (a keyframe every 30
    /// frames), as ffmpeg cuts them by <c>-frag_duration</c>: most fragments start without a keyframe, and one holds a
    /// keyframe after its first frame. What the native ingest writes is of this kind (a keyframe always starts its fragments).
    /// </summary>
    public static byte[] SubGop => SubGopBytes.Value;

    private static readonly Lazy<byte[]> Bytes = new(() => Encode(15, ["-movflags", "+frag_keyframe+empty_moov+default_base_moof"]));

    private static readonly Lazy<byte[]> SubGopBytes = new(() => Encode(30, ["-movflags", "+empty_moov+default_base_moof", "-frag_duration", "500000"]));

    private static byte[] Encode(int gop, string[] fragmenting)
    {
        var dir = TestEnv.NewTempDir("hv-sample");
        var path = Path.Combine(dir, "sample.mp4");
        var (exit, _, err) = TestEnv.Run(TestEnv.Tool("ffmpeg"), [
            "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=15", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000",
            "-t", "6", "-c:v", "libx264", "-preset", "ultrafast", "-g", $"{gop}", "-keyint_min", $"{gop}", "-sc_threshold", "0", "-bf", "0",
            "-c:a", "aac", "-f", "mp4", .. fragmenting, path]);
        Assert.True(exit == 0, err);
        var bytes = File.ReadAllBytes(path);
        Directory.Delete(dir, true);
        return bytes;
    }
}
