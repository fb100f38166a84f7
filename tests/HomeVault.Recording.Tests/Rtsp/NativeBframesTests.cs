using HomeVault.Recording.Configuration;
using HomeVault.Recording.Tests.Support;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Rtsp;

/// <summary>The native ingest on camsim's H.264 camera with B-frames, whose RTP timestamps do not rise in decode order.</summary>
public sealed class NativeBframesTests(CamsimFixture camsim)
{
    [Fact]
    public async Task Auto_records_b_frames_natively_into_whole_clips_whose_frames_equal_ffmpegs_and_are_shown_evenly_in_order()
    {
        using var footage = new SealedFootage();
        await Harness.RecordSealedAsync(footage, TimeSpan.FromSeconds(10),
            Harness.Camera("native", camsim.Urls["bframes"]),
            Harness.Camera("ffmpeg", camsim.Urls["bframes"], ingest: IngestMode.Ffmpeg));

        var dir = TestEnv.NewTempDir("hv-bframes");
        try
        {
            var native = footage.FirstClipFile("native", dir);
            var ffmpeg = footage.FirstClipFile("ffmpeg", dir);
            Assert.Equal("", Media.DecodeErrors(native));
            Assert.Equal([("video", "h264", "avc1")], Media.Streams(native));

            var (nativeFrames, ffmpegFrames) = (Media.FrameHashes(native, "-map", "0:v"), Media.FrameHashes(ffmpeg, "-map", "0:v"));
            var common = Math.Min(nativeFrames.Count, ffmpegFrames.Count);
            Assert.True(common >= 45, $"native {nativeFrames.Count} frames, ffmpeg {ffmpegFrames.Count}");
            Assert.Equal(ffmpegFrames.Take(common).Select(f => f.Hash), nativeFrames.Take(common).Select(f => f.Hash));

            // Shown one frame every 1/15 s (6000 ticks at 90 kHz; camsim's times are Matroska's milliseconds, so up to
            // 60 ticks off): the composition offsets put every B-frame back in its place. The file shows the first frame
            // at 0; ffmpeg moves a stream with negative offsets later by the largest of them (one frame here; two at most).
            var shown = Media.ShownVideoTimes(native);
            Assert.InRange(shown[0], 0, 2 * 6060);
            Assert.All(shown.Zip(shown.Skip(1)), p => Assert.InRange(p.Second - p.First, 5940, 6060));
            var packets = Media.FrameHashes(native, "-map", "0:v", "-c", "copy");
            Assert.Contains(packets.Zip(packets.Skip(1)), p => p.Second.Pts < p.First.Pts); // and they are stored in decode order
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
