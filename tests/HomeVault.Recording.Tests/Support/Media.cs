using System.Globalization;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Support;

/// <summary>Checks clips with the real ffprobe/ffmpeg.</summary>
internal static class Media
{
    public static double Duration(string path)
    {
        var (exit, stdout, stderr) = TestEnv.Run(TestEnv.Tool("ffprobe"),
            ["-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", path], timeoutMs: 30_000);
        Assert.True(exit == 0, $"ffprobe {path}: {stderr}");
        return double.Parse(System.Text.Encoding.UTF8.GetString(stdout).Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>codec_name and codec_tag_string per stream.</summary>
    public static List<(string Type, string Codec, string Tag)> Streams(string path)
    {
        var (exit, stdout, stderr) = TestEnv.Run(TestEnv.Tool("ffprobe"),
            ["-v", "error", "-show_entries", "stream=codec_type,codec_name,codec_tag_string", "-of", "csv=p=0", path], timeoutMs: 30_000);
        Assert.True(exit == 0, $"ffprobe {path}: {stderr}");
        return System.Text.Encoding.UTF8.GetString(stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Trim().Split(','))
            .Select(p => (p[1], p[0], p[2]))
            .ToList();
    }

    /// <summary>Full decode; returns ffmpeg's error output (empty = clean).</summary>
    public static string DecodeErrors(string path)
    {
        var (exit, _, stderr) = TestEnv.Run(TestEnv.Tool("ffmpeg"), ["-v", "error", "-i", path, "-f", "null", "-"], timeoutMs: 60_000);
        return exit == 0 ? stderr.Trim() : $"exit {exit}: {stderr}";
    }

    /// <summary>6 s of 320x180 H.264 at 15 fps (a keyframe every 15 frames) with AAC audio: six 1 s fragments, as the ingest writes them.</summary>
    public static byte[] FragmentedSample => SampleBytes.Value;

    private static readonly Lazy<byte[]> SampleBytes = new(() =>
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
