using HomeVault.Core.Catalog;
using HomeVault.Core.Recorder;
using HomeVault.Recording.Cameras;
using HomeVault.Recording.Configuration;
using HomeVault.Recording.Fmp4;
using HomeVault.Recording.Simulation;
using HomeVault.Recording.Tests.Support;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Rtsp;

/// <summary>The native RTSP ingest against camsim (GStreamer's RTSP server), through the same supervisor as ffmpeg's.</summary>
public sealed class NativeIngestTests(CamsimFixture camsim)
{
    internal static void AssertWholeClips(IReadOnlyList<ClipRecord> clips, string codec, string tag) => AssertWholeClips(clips, [("video", codec, tag)]);

    /// <summary>Each clip complete, decoding and probing cleanly, with exactly <paramref name="streams"/>, as long as the catalog says.</summary>
    internal static void AssertWholeClips(IReadOnlyList<ClipRecord> clips, (string Type, string Codec, string Tag)[] streams)
    {
        Assert.NotEmpty(clips);
        foreach (var c in clips)
        {
            Assert.True(c.Completed, $"{c.Path} not completed");
            Assert.Equal("", Media.DecodeErrors(c.Path));
            Assert.Equal("", Probe(c.Path));
            Assert.Equal(streams, Media.Streams(c.Path));
            Assert.InRange(Media.Duration(c.Path), c.MediaDuration.TotalSeconds - 0.15, c.MediaDuration.TotalSeconds + 0.15);
        }
    }

    /// <summary>What <c>ffprobe -v error</c> says about the file's packets (nothing for a sound one).</summary>
    private static string Probe(string path)
    {
        var (exit, _, stderr) = TestEnv.Run(TestEnv.Tool("ffprobe"), ["-v", "error", "-show_packets", "-of", "csv", path], timeoutMs: 30_000);
        return exit == 0 ? stderr.Trim() : $"exit {exit}: {stderr}";
    }

    [Theory]
    [InlineData("cam1", "h264", "avc1")]
    [InlineData("hevc", "hevc", "hvc1")]
    public async Task Auto_records_h264_and_h265_natively_into_whole_playable_clips(string mount, string codec, string tag)
    {
        using var h = new Harness();
        await h.RecordAsync(TimeSpan.FromSeconds(12), Harness.Camera(mount, camsim.Urls[mount]));

        var clips = h.Sink.For(mount);
        Assert.True(clips.Count >= 2, $"{clips.Count} clips");
        AssertWholeClips(clips, codec, tag);
        for (var i = 1; i < clips.Count; i++)
        {
            Assert.Equal(clips[i - 1].End, clips[i].Start);
        }
        Assert.Equal("native", h.Health(mount).Ingest);
        Assert.Contains(h.Logger.Lines, l => l.Contains("connecting (native", StringComparison.Ordinal));
        Assert.All(h.Journal.RunsOf(mount), r => Assert.Equal("cancelled", r.Reason));
        h.AssertEverySecondAccounted(mount);
    }

    [Fact]
    public async Task Native_fragments_last_about_half_a_second_and_every_clip_starts_at_a_keyframe()
    {
        using var h = new Harness();
        await h.RecordAsync(TimeSpan.FromSeconds(10), Harness.Camera("cam2", camsim.Urls["cam2"], clipSeconds: 3));

        var clips = h.Sink.For("cam2");
        Assert.True(clips.Count >= 2, $"{clips.Count} clips");
        AssertWholeClips(clips, "h264", "avc1");
        foreach (var c in clips)
        {
            Assert.True(Media.StartsAtKeyframe(c.Path), $"{c.Path} does not start at a keyframe");
            await using var file = File.OpenRead(c.Path);
            var reader = new Fmp4Reader(file);
            await reader.ReadInitSegmentAsync(CancellationToken.None);
            var fragments = new List<(TimeSpan Duration, bool Key)>();
            while (await reader.ReadFragmentAsync(CancellationToken.None) is { } f)
            {
                fragments.Add((f.Duration, f.StartsWithKeyframe));
            }
            // camsim's groups are 2 s at 15 fps: cut into fragments of 8 frames (0.53 s) and the rest.
            Assert.True(fragments[0].Key);
            Assert.Contains(fragments, f => !f.Key);
            Assert.All(fragments, f => Assert.InRange(f.Duration.TotalSeconds, 0.01, 0.54));
        }
    }

    [Fact]
    public async Task Native_and_ffmpeg_recordings_of_the_same_stream_decode_to_the_same_frames()
    {
        // Each camsim client gets the clip from its first frame: both first clips start at frame 0.
        var frames = await FirstClipFrames.RecordAsync(TimeSpan.FromSeconds(10),
            [.. new[] { IngestMode.Native, IngestMode.Ffmpeg }.Select(mode => Harness.Camera(mode.ToString().ToLowerInvariant(), camsim.Urls["cam1"], clipSeconds: 4, ingest: mode))]);

        var common = Math.Min(frames["native"].Count, frames["ffmpeg"].Count);
        Assert.True(common >= 45, $"native {frames["native"].Count} frames, ffmpeg {frames["ffmpeg"].Count}");
        Assert.Equal(frames["ffmpeg"].Take(common), frames["native"].Take(common));
    }

    [Fact]
    public async Task A_lost_packet_drops_its_group_whole_ends_the_run_and_leaves_a_gap_never_a_broken_clip()
    {
        await using var proxy = new LossyProxy(camsim.Port, dropPacket: 250);
        using var h = new Harness();
        var url = proxy.Rewrite(camsim.Urls["cam1"]);
        await h.RecordAsync(TimeSpan.FromSeconds(14), Harness.Camera("lossy", url, clipSeconds: 4));

        Assert.True(proxy.Dropped);
        var runs = h.Journal.RunsOf("lossy");
        Assert.True(runs.Count >= 2, $"{runs.Count} runs");
        Assert.Contains("lost", runs[0].Reason, StringComparison.Ordinal);
        var gap = Assert.Single(h.Journal.Gaps, g => g.Camera == "lossy" && g.Cause.Contains("lost", StringComparison.Ordinal));
        Assert.True(gap.Until > gap.From);
        AssertWholeClips(h.Sink.For("lossy"), "h264", "avc1");
        h.AssertEverySecondAccounted("lossy");
    }

    [Fact]
    public async Task Digest_authentication_records_and_keeps_the_password_out_of_everything_said()
    {
        const string password = "d1gest-P@ss:w/rd";
        using var digest = CamsimProcess.Start(Path.Combine(TestEnv.RepoRoot, "tools", "camsim", "camsim.py"),
            CamsimFixture.SmallClips,
            ["--auth-mount", "secure", "--auth-scheme", "digest"],
            readyTimeout: TimeSpan.FromSeconds(180),
            environment: new Dictionary<string, string> { ["CAMSIM_AUTH"] = $"viewer:{password}" });
        using var h = new Harness();
        var right = Path.Combine(h.Directory, "right.credentials");
        var wrong = Path.Combine(h.Directory, "wrong.credentials");
        File.WriteAllText(right, $"viewer:{password}\n");
        File.WriteAllText(wrong, "viewer:not-it\n");
        await h.RecordAsync(TimeSpan.FromSeconds(8),
            Harness.Camera("digest", digest.Urls["secure"], credentialsFile: right, ingest: IngestMode.Native),
            Harness.Camera("refused", digest.Urls["secure"], credentialsFile: wrong, ingest: IngestMode.Native));

        AssertWholeClips(h.Sink.For("digest"), "h264", "avc1");
        Assert.Empty(h.Sink.For("refused"));
        Assert.Contains("401", h.Health("refused").LastError, StringComparison.Ordinal);
        foreach (var line in h.Logger.Lines.Concat(h.Journal.Gaps.Select(g => g.Cause)).Append(h.Health("refused").LastError ?? ""))
        {
            Assert.DoesNotContain(password, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Auto_hands_a_g711_camera_to_ffmpeg_which_records_it_with_aac_and_status_says_why()
    {
        using var h = new Harness();
        await h.RecordAsync(TimeSpan.FromSeconds(12), Harness.Camera("audio", camsim.Urls["audio"]));

        var clips = h.Sink.For("audio");
        Assert.True(clips.Count >= 1, $"{clips.Count} clips");
        Assert.Contains(("audio", "aac", "mp4a"), Media.Streams(clips[0].Path));
        Assert.Equal("", Media.DecodeErrors(clips[0].Path));
        Assert.StartsWith("ffmpeg (auto: audio (PCMU)", h.Health("audio").Ingest, StringComparison.Ordinal);
        h.AssertEverySecondAccounted("audio");
    }

    [Fact]
    public async Task Native_only_refuses_a_g711_camera_as_one_that_cannot_start()
    {
        using var h = new Harness();
        await h.RecordAsync(TimeSpan.FromSeconds(3), Harness.Camera("audio", camsim.Urls["audio"], ingest: IngestMode.Native));
        Assert.Empty(h.Sink.Clips);
        var health = h.Health("audio");
        Assert.Equal("native", health.Ingest);
        Assert.Contains("audio (PCMU) is recorded through ffmpeg", health.LastError, StringComparison.Ordinal);
        Assert.Equal(CameraState.Stopped, health.State);
        Assert.Empty(h.Journal.Runs);
    }
}
