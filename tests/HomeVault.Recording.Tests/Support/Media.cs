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

    /// <summary>Each stream's type and duration in seconds, as ffprobe reads them from the file.</summary>
    public static List<(string Type, double Duration)> StreamDurations(string path) =>
        Probe(path, "-show_entries", "stream=codec_type,duration").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Trim().Split(','))
            .Select(p => (p[0], double.Parse(p[1], CultureInfo.InvariantCulture)))
            .ToList();

    /// <summary>
    /// <c>ffmpeg -f framemd5</c> of what <paramref name="selection"/> picks (<c>-map 0:v</c>: the decoded frames;
    /// <c>-map 0:a -c copy</c>: the packets as stored): each frame's presentation time (its stream's time base) and hash.
    /// </summary>
    public static List<(long Pts, string Hash)> FrameHashes(string path, params string[] selection)
    {
        var (exit, stdout, stderr) = TestEnv.Run(TestEnv.Tool("ffmpeg"), ["-v", "error", "-i", path, .. selection, "-f", "framemd5", "-"], timeoutMs: 60_000);
        Assert.True(exit == 0, $"ffmpeg framemd5 {path}: {stderr}");
        return System.Text.Encoding.ASCII.GetString(stdout).Split('\n')
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split(','))
            .Select(f => (long.Parse(f[2], CultureInfo.InvariantCulture), f[^1].Trim()))
            .ToList();
    }

    /// <summary>The decoded video frames' presentation times in the order they come out of the decoder (the stream's time base).</summary>
    public static List<long> ShownVideoTimes(string path) =>
        Probe(path, "-select_streams", "v:0", "-show_entries", "frame=pts").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => long.Parse(l.Trim().TrimEnd(','), CultureInfo.InvariantCulture)).ToList();

    /// <summary>Full decode; returns ffmpeg's error output (empty = clean).</summary>
    public static string DecodeErrors(string path)
    {
        var (exit, _, stderr) = TestEnv.Run(TestEnv.Tool("ffmpeg"), ["-v", "error", "-i", path, "-f", "null", "-"], timeoutMs: 60_000);
        return exit == 0 ? stderr.Trim() : $"exit {exit}: {stderr}";
    }

    /// <summary>The MD5 of each decoded video frame of the files in turn (<c>ffmpeg -f framemd5</c>).</summary>
    public static List<string> FrameMd5s(params IEnumerable<string> paths) =>
        paths.SelectMany(path => FrameHashes(path, "-map", "0:v").Select(f => f.Hash)).ToList();

    /// <summary>The decoded video frames and the first video packet's presentation time (seconds).</summary>
    public static (int Frames, double FirstPts) Video(string path)
    {
        var frames = Probe(path, "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames");
        var first = Probe(path, "-select_streams", "v:0", "-show_entries", "packet=pts_time", "-read_intervals", "%+#1");
        return (int.Parse(frames, CultureInfo.InvariantCulture), double.Parse(first.Split('\n')[0], CultureInfo.InvariantCulture));
    }

    /// <summary>The video packets in file order: each one's decode time (seconds) and whether it is a keyframe.</summary>
    public static List<(double Dts, bool Key)> VideoPackets(string path) =>
        Probe(path, "-select_streams", "v:0", "-show_entries", "packet=dts_time,flags").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Trim().Split(','))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), p[1].StartsWith('K')))
            .ToList();
    /// <summary>Whether the file's first video packet is a keyframe (ffprobe's packet flags begin with K).</summary>
    public static bool StartsAtKeyframe(string path) =>
        Probe(path, "-select_streams", "v:0", "-show_entries", "packet=flags", "-read_intervals", "%+#1").StartsWith('K');

    private static string Probe(string path, params string[] args)
    {
        var (exit, stdout, stderr) = TestEnv.Run(TestEnv.Tool("ffprobe"), ["-v", "error", .. args, "-of", "csv=p=0", path], timeoutMs: 60_000);
        Assert.True(exit == 0, $"ffprobe {path}: {stderr}");
        return System.Text.Encoding.UTF8.GetString(stdout).Trim();
    }

    /// <summary>The shared sample: see <see cref="SampleMp4.Fragmented"/>.</summary>
    public static byte[] FragmentedSample => SampleMp4.Fragmented;

    /// <summary>The sample in fragments smaller than its groups of pictures: see <see cref="SampleMp4.SubGop"/>.</summary>
    public static byte[] SubGopSample => SampleMp4.SubGop;
}
