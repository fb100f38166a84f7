using HomeVault.Recording.Fmp4;
using HomeVault.Recording.Rtsp;

namespace HomeVault.Recording.Tests.Rtsp;

public sealed class AacDepacketizerTests
{
    private static readonly SdpMedia Aac = new("audio", 97, "MPEG4-GENERIC", 48000,
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["mode"] = "AAC-hbr", ["sizelength"] = "13", ["indexlength"] = "3", ["indexdeltalength"] = "3", ["config"] = "1190",
        },
        "stream=1");

    private static byte[] Au(int size, byte fill) => Enumerable.Repeat(fill, size).ToArray();

    /// <summary>An AAC-hbr payload: AU-headers-length, a 16-bit header per AU (13-bit size, 3-bit index 0), the AUs.</summary>
    private static byte[] Packet(params byte[][] aus) => Fragment(aus.Select(a => a.Length).ToArray(), aus.SelectMany(a => a).ToArray());

    /// <summary>A payload whose headers give <paramref name="sizes"/> and whose data is <paramref name="data"/> (a fragment carries less than its size).</summary>
    private static byte[] Fragment(int[] sizes, byte[] data)
    {
        var bytes = new List<byte> { (byte)(sizes.Length * 16 >> 8), (byte)(sizes.Length * 16) };
        foreach (var size in sizes)
        {
            bytes.AddRange([(byte)(size >> 5), (byte)(size << 3)]);
        }
        bytes.AddRange(data);
        return [.. bytes];
    }

    private static (AacDepacketizer Depacketizer, AudioQueue Queue) New()
    {
        var queue = new AudioQueue(anchor: 1000, clockRate: 48000, frameDuration: 1024);
        queue.Start(videoOffset: 0, videoClockRate: 90000); // the first keyframe is at the audio's RTP time 1000
        return (new AacDepacketizer(Aac, queue), queue);
    }

    [Fact]
    public void Several_aus_in_one_packet_follow_each_other_by_one_frame_and_a_fragment_takes_those_begun_before_its_end()
    {
        var (d, queue) = New();
        var (a, b, c) = (Au(200, 1), Au(180, 2), Au(210, 3));
        d.Push(Packet(Au(190, 9)), 1000 - 1024, marker: true); // before the first keyframe: dropped
        d.Push(Packet(a, b, c), 1000, marker: true);

        // Video up to 2048 audio ticks (3840 at 90 kHz): a and b begin before it, c does not.
        var run = queue.Take(3840, 90000)!.Value;
        Assert.Equal(0ul, run.BaseMediaDecodeTime);
        Assert.Equal([new AudioSample(200, 1024), new AudioSample(180, 1024)], run.Samples);
        Assert.Equal(a.Concat(b), run.Data.ToArray());

        var rest = queue.Take(9000, 90000)!.Value;
        Assert.Equal(2048ul, rest.BaseMediaDecodeTime);
        Assert.Equal([new AudioSample(210, 1024)], rest.Samples); // the last one known lasts one frame
        Assert.Equal(c, rest.Data.ToArray());
        Assert.Null(queue.Take(12000, 90000));
    }

    [Fact]
    public void A_fragmented_au_is_put_back_together_and_one_cut_by_a_loss_is_dropped_whole_while_the_audio_after_it_keeps_its_time()
    {
        var (d, queue) = New();
        var whole = Au(3000, 5);
        d.Push(Fragment([3000], whole[..1400]), 1000, marker: false);
        d.Push(Fragment([3000], whole[1400..2800]), 1000, marker: false);
        d.Push(Fragment([3000], whole[2800..]), 1000, marker: true);

        var cut = Au(2000, 6);
        d.Push(Fragment([2000], cut[..1400]), 2024, marker: false);
        d.Lost(); // its last fragment never came; neither did the start of the next AU
        d.Push(Fragment([2500], Au(1100, 7)), 3048, marker: true);
        var after = Au(150, 8);
        d.Push(Packet(after), 4072, marker: true);

        var run = queue.Take(90000, 90000)!.Value;
        Assert.Equal(0ul, run.BaseMediaDecodeTime);
        // The AU before the hole lasts until the next one begins, so what follows plays at its own time.
        Assert.Equal([new AudioSample(3000, 3072), new AudioSample(150, 1024)], run.Samples);
        Assert.Equal(whole.Concat(after), run.Data.ToArray());
    }

    [Fact]
    public void Aac_without_au_sizes_is_refused_as_unsupported_and_g711_is_not_aac()
    {
        var bare = Aac with { Format = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["mode"] = "AAC-hbr", ["config"] = "1190" } };
        Assert.Throws<NativeIngestUnsupportedException>(() => new AacDepacketizer(bare, New().Queue));
        Assert.True(AacDepacketizer.Handles(Aac));
        Assert.False(AacDepacketizer.Handles(new SdpMedia("audio", 0, "PCMU", 8000, new Dictionary<string, string>(), null)));
        Assert.Equal(new byte[] { 0x11, 0x90 }, AacDepacketizer.Config(Aac));
        Assert.Equal((48000, 2), new AacTrack(AacDepacketizer.Config(Aac), 48000).Format());
    }
}
