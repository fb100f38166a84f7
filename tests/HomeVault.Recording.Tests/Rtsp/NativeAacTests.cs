using HomeVault.Core.Catalog;
using HomeVault.Core.Vault;
using HomeVault.Recording.Configuration;
using HomeVault.Recording.ReleasedClips;
using HomeVault.Recording.Rtsp;
using HomeVault.Recording.Tests.Support;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Rtsp;

/// <summary>The native ingest on camsim's AAC camera (H.264 + RFC 3640 AAC-hbr, as GStreamer's rtpmp4gpay sends it).</summary>
public sealed class NativeAacTests(CamsimFixture camsim)
{
    /// <summary>One AAC frame at 48 kHz, 21.3 ms: how far apart two recordings may place the same audio against the video.</summary>
    private const double AacFrameSeconds = 1024 / 48000.0;

    /// <summary>Whole clips with their H.264 and their AAC, the audio as long as the video to within the frames in flight at each end.</summary>
    private static void AssertWholeClipsWithAudio(IReadOnlyList<ClipRecord> clips)
    {
        NativeIngestTests.AssertWholeClips(clips, [("video", "h264", "avc1"), ("audio", "aac", "mp4a")]);
        foreach (var c in clips)
        {
            var durations = Media.StreamDurations(c.Path).ToDictionary(s => s.Type, s => s.Duration);
            Assert.InRange(durations["audio"], durations["video"] - 3 * AacFrameSeconds, durations["video"] + 3 * AacFrameSeconds);
        }
    }

    [Fact]
    public async Task Auto_records_an_aac_camera_natively_with_both_streams_lasting_as_long_as_the_clip()
    {
        using var h = new Harness();
        await h.RecordAsync(TimeSpan.FromSeconds(12), Harness.Camera("aac", camsim.Urls["aac"]));

        var clips = h.Sink.For("aac");
        Assert.True(clips.Count >= 2, $"{clips.Count} clips");
        Assert.Equal("native", h.Health("aac").Ingest);
        AssertWholeClipsWithAudio(clips);
        for (var i = 1; i < clips.Count; i++)
        {
            Assert.Equal(clips[i - 1].End, clips[i].Start);
        }
        h.AssertEverySecondAccounted("aac");
    }

    [Fact]
    public async Task A_lost_audio_packet_costs_that_audio_only_the_run_goes_on_and_every_clip_stays_whole()
    {
        await using var proxy = new LossyProxy(camsim.Port, dropPacket: 60, channel: AacAudio.Channel);
        using var h = new Harness();
        await h.RecordAsync(TimeSpan.FromSeconds(10), Harness.Camera("lossy", proxy.Rewrite(camsim.Urls["aac"])));

        Assert.True(proxy.Dropped);
        Assert.Equal(["cancelled"], h.Journal.RunsOf("lossy").Select(r => r.Reason));
        AssertWholeClipsWithAudio(h.Sink.For("lossy"));
        h.AssertEverySecondAccounted("lossy");
    }

    [Fact]
    public async Task Native_and_ffmpeg_recordings_of_an_aac_camera_hold_the_same_frames_and_audio_at_the_same_place()
    {
        using var footage = new SealedFootage();
        await Harness.RecordSealedAsync(footage, TimeSpan.FromSeconds(10),
            Harness.Camera("native", camsim.Urls["aac"], ingest: IngestMode.Native),
            Harness.Camera("ffmpeg", camsim.Urls["aac"], ingest: IngestMode.Ffmpeg));

        var dir = TestEnv.NewTempDir("hv-aac");
        try
        {
            var recorded = new Dictionary<string, (List<string> Frames, List<(long Pts, string Hash)> Audio, long SecondVideoPts)>();
            foreach (var name in new[] { "native", "ffmpeg" })
            {
                // Each camsim client gets the file from its start: both first clips start at its first keyframe.
                var path = footage.FirstClipFile(name, dir);
                recorded[name] = (
                    Media.FrameHashes(path, "-map", "0:v").Select(f => f.Hash).ToList(),
                    Media.FrameHashes(path, "-map", "0:a", "-c", "copy"),
                    Media.FrameHashes(path, "-map", "0:v", "-c", "copy")[1].Pts);
            }
            var (native, ffmpeg) = (recorded["native"], recorded["ffmpeg"]);
            var frames = Math.Min(native.Frames.Count, ffmpeg.Frames.Count);
            Assert.True(frames >= 45, $"native {native.Frames.Count} frames, ffmpeg {ffmpeg.Frames.Count}");
            Assert.Equal(ffmpeg.Frames.Take(frames), native.Frames.Take(frames));

            // The same AAC packets, byte for byte; native drops the audio before the first keyframe, ffmpeg may not.
            var skipped = ffmpeg.Audio.FindIndex(a => a.Hash == native.Audio[0].Hash);
            Assert.InRange(skipped, 0, 2);
            var packets = Math.Min(native.Audio.Count, ffmpeg.Audio.Count - skipped);
            Assert.True(packets >= 150, $"native {native.Audio.Count} audio packets, ffmpeg {ffmpeg.Audio.Count}");
            Assert.Equal(ffmpeg.Audio.Skip(skipped).Take(packets).Select(a => a.Hash), native.Audio.Take(packets).Select(a => a.Hash));

            // And at the same time against the video (RTP-Info ties the clocks in both): 48 kHz audio, 90 kHz video. Against
            // the second frame: ffmpeg moves a track's first sample back to the file's start (its first frame lasts longer).
            double Lead((List<string>, List<(long Pts, string)> Audio, long SecondVideoPts) r, int packet) => r.Audio[packet].Pts / 48000.0 - r.SecondVideoPts / 90000.0;
            Assert.InRange(Lead(native, 0) - Lead(ffmpeg, skipped), -AacFrameSeconds / 2, AacFrameSeconds / 2);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task A_release_with_audio_stripped_turns_a_native_aac_clip_into_a_playable_video_only_one()
    {
        using var footage = new SealedFootage();
        await Harness.RecordSealedAsync(footage, TimeSpan.FromSeconds(7), Harness.Camera("native", camsim.Urls["aac"], ingest: IngestMode.Native));
        var clip = new ClipRepository(footage.Db).Query("native").OrderBy(c => c.Start).First();
        var package = TestEnv.NewTempDir("hv-aac-release");
        using var recipient = X25519Identity.Generate();
        try
        {
            var released = new ReleaseMedia(TestEnv.Tool("ffmpeg")).Open([footage.Alice], recipient.Recipient)
                .Release(Path.Combine(footage.Data.Root, clip.Path), clip, clip.Start.AddSeconds(-1), clip.End.AddSeconds(1), stripAudio: true, package, TestContext.Current.CancellationToken)!;

            var mp4 = Path.Combine(package, "released.mp4");
            using (var file = File.OpenRead(Path.Combine(package, released.Path)))
            using (var plain = Age.DecryptingStream(file, [recipient]))
            using (var output = File.Create(mp4))
            {
                plain.CopyTo(output);
            }
            Assert.Equal([("video", "h264", "avc1")], Media.Streams(mp4));
            Assert.Equal("", Media.DecodeErrors(mp4));
            Assert.Equal(Media.FrameHashes(footage.FirstClipFile("native", package), "-map", "0:v").Select(f => f.Hash), Media.FrameHashes(mp4, "-map", "0:v").Select(f => f.Hash));
        }
        finally
        {
            Directory.Delete(package, true);
        }
    }
}
