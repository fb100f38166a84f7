using System.Buffers.Binary;
using HomeVault.Recording.Clips;
using HomeVault.Recording.Fmp4;
using HomeVault.Recording.Tests.Support;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Fmp4;

public sealed class Fmp4ReaderTests
{
    // 6 s at 15 fps, a keyframe every 15 frames: six 1 s fragments, plus an AAC track.
    private static readonly Lazy<byte[]> Sample = new(() => Media.FragmentedSample);

    private static async Task<(InitSegment Init, List<(TimeSpan Start, TimeSpan Duration, int Length)> Fragments, Fmp4Reader Reader)> ReadAll(byte[] data, int chunk = 4096)
    {
        var reader = new Fmp4Reader(new TrickleStream(data, chunk));
        var init = await reader.ReadInitSegmentAsync(CancellationToken.None) ?? throw new InvalidOperationException("no init");
        var list = new List<(TimeSpan, TimeSpan, int)>();
        while (await reader.ReadFragmentAsync(CancellationToken.None) is { } f)
        {
            list.Add((f.Start, f.Duration, f.Bytes.Length));
        }
        return (init, list, reader);
    }

    [Fact]
    public async Task Reads_init_segment_tracks_and_fragment_times_from_an_ffmpeg_file()
    {
        var (init, fragments, reader) = await ReadAll(Sample.Value);

        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(init.Bytes.Span.Slice(4, 4)));
        Assert.Equal(2, init.Tracks.Count);
        Assert.Equal("vide", init.Reference.Handler);
        Assert.Contains(init.Tracks, t => t is { Handler: "soun", Timescale: 8000 });
        Assert.Equal(6, fragments.Count);
        // Fragments follow each other exactly; each is about one GOP (the AAC track shifts the cut by a frame or two).
        Assert.Equal(TimeSpan.Zero, fragments[0].Start);
        for (var i = 0; i < fragments.Count; i++)
        {
            Assert.InRange(fragments[i].Duration.TotalSeconds, 0.8, 1.2);
            if (i > 0)
            {
                Assert.Equal(fragments[i - 1].Start + fragments[i - 1].Duration, fragments[i].Start);
            }
        }
        Assert.InRange((fragments[^1].Start + fragments[^1].Duration).TotalSeconds, 5.9, 6.2); // ffmpeg itself stretches the start by ~0.13 s with this lavfi pair
        Assert.False(reader.EndedMidBox);
        // Init + fragments are the whole file, except the closing mfra.
        Assert.True(init.Bytes.Length + fragments.Sum(f => f.Length) < Sample.Value.Length);
    }

    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The fragments of <paramref name="mp4"/> through a <see cref="ClipCutter"/> into plain clip files in <paramref name="dir"/>, the first at <see cref="T0"/>.</summary>
    private static async Task<IReadOnlyList<ClipRecord>> CutAsync(byte[] mp4, TimeSpan clipLength, string dir)
    {
        var sink = new DirectorySink(dir);
        var reader = new Fmp4Reader(new MemoryStream(mp4));
        var init = (await reader.ReadInitSegmentAsync(CancellationToken.None))!;
        ClipCutter? cutter = null;
        while (await reader.ReadFragmentAsync(CancellationToken.None) is { } f)
        {
            cutter ??= new ClipCutter(sink, "unit", 1, init, clipLength, T0, f.Start);
            await cutter.AddAsync(f, CancellationToken.None);
        }
        await cutter!.CompleteAsync(CancellationToken.None);
        return sink.For("unit");
    }

    [Fact]
    public async Task Cut_clips_play_on_their_own_with_their_own_duration()
    {
        var dir = TestEnv.NewTempDir("hv-cut");
        try
        {
            var clips = await CutAsync(Sample.Value, TimeSpan.FromSeconds(2), dir);
            Assert.Equal(3, clips.Count);
            Assert.Equal(T0, clips[0].Start);
            Assert.Equal(clips[0].End, clips[1].Start);
            Assert.Equal(clips[1].End, clips[2].Start);
            Assert.InRange((clips[2].End!.Value - T0).TotalSeconds, 5.9, 6.2); // ffmpeg itself stretches the start by ~0.13 s with this lavfi pair
            foreach (var c in clips)
            {
                Assert.InRange(Media.Duration(c.Path), c.MediaDuration.TotalSeconds - 0.15, c.MediaDuration.TotalSeconds + 0.15); // audio may overhang by one AAC frame
                Assert.InRange(c.MediaDuration.TotalSeconds, 1.7, 2.3);
                Assert.Equal("", Media.DecodeErrors(c.Path));
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Fragments_smaller_than_a_group_say_whether_they_start_at_a_keyframe_as_ffprobe_sees_the_packets()
    {
        var dir = TestEnv.NewTempDir("hv-subgop");
        try
        {
            var file = Path.Combine(dir, "subgop.mp4");
            await File.WriteAllBytesAsync(file, Media.SubGopSample, TestContext.Current.CancellationToken);
            var keyframes = Media.VideoPackets(file).Where(p => p.Key).Select(p => p.Dts).ToList();
            Assert.Equal(3, keyframes.Count); // 6 s, a keyframe every 2 s

            var reader = new Fmp4Reader(new MemoryStream(Media.SubGopSample));
            await reader.ReadInitSegmentAsync(CancellationToken.None);
            var fragments = new List<(double Start, bool Key)>();
            while (await reader.ReadFragmentAsync(CancellationToken.None) is { } f)
            {
                fragments.Add((f.Start.TotalSeconds, f.StartsWithKeyframe));
            }
            Assert.True(fragments.Count >= 10, $"{fragments.Count} fragments");
            foreach (var (start, key) in fragments)
            {
                Assert.Equal(keyframes.Any(k => Math.Abs(k - start) < 0.001), key);
            }
            // ffmpeg put one keyframe after a fragment's first frame: two fragments start at one, the rest do not.
            Assert.Equal(2, fragments.Count(f => f.Key));

            var whole = new Fmp4Reader(new MemoryStream(Sample.Value));
            await whole.ReadInitSegmentAsync(CancellationToken.None);
            while (await whole.ReadFragmentAsync(CancellationToken.None) is { } f)
            {
                Assert.True(f.StartsWithKeyframe); // +frag_keyframe
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Clips_are_cut_only_where_a_fragment_starts_at_a_keyframe_so_each_plays_from_its_start()
    {
        var dir = TestEnv.NewTempDir("hv-cut-subgop");
        try
        {
            // Clips of 1 s are asked for; the fragments that start at a keyframe are at 0 and 4 s.
            var clips = await CutAsync(Media.SubGopSample, TimeSpan.FromSeconds(1), dir);
            Assert.Equal(2, clips.Count);
            Assert.InRange(clips[0].MediaDuration.TotalSeconds, 3.9, 4.2); // ffmpeg itself stretches the start by ~0.13 s with this lavfi pair
            Assert.Equal(clips[0].End, clips[1].Start);
            foreach (var c in clips)
            {
                Assert.True(Media.StartsAtKeyframe(c.Path), $"{c.Path} does not start at a keyframe");
                Assert.Equal("", Media.DecodeErrors(c.Path));
                Assert.InRange(Media.Duration(c.Path), c.MediaDuration.TotalSeconds - 0.15, c.MediaDuration.TotalSeconds + 0.15);
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Garbage_is_rejected()
    {
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        await Assert.ThrowsAsync<Fmp4Exception>(async () => await new Fmp4Reader(new MemoryStream(garbage)).ReadInitSegmentAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(0x7FFF_FFF0u)] // 2 GiB claim: refused before any allocation
    [InlineData(4u)]           // smaller than its own header
    [InlineData(0u)]           // "to end of stream": unbounded on a live pipe
    public async Task Bad_fragment_box_sizes_are_rejected(uint size)
    {
        var data = Sample.Value.ToArray();
        var reader = new Fmp4Reader(new MemoryStream(data));
        var init = (await reader.ReadInitSegmentAsync(CancellationToken.None))!;
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(init.Bytes.Length), size); // the first moof's size
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var e = await Assert.ThrowsAsync<Fmp4Exception>(async () => await reader.ReadFragmentAsync(CancellationToken.None));
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 16 << 20, e.Message);
    }

    [Fact]
    public async Task A_fragment_over_the_limit_is_an_error()
    {
        var reader = new Fmp4Reader(new MemoryStream(Sample.Value), maxFragmentBytes: 1000);
        await reader.ReadInitSegmentAsync(CancellationToken.None);
        var e = await Assert.ThrowsAsync<Fmp4Exception>(async () => await reader.ReadFragmentAsync(CancellationToken.None));
        Assert.Contains("larger than 1000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_cut_mid_fragment_ends_cleanly_and_says_so()
    {
        var (init, fragments, _) = await ReadAll(Sample.Value);
        var cut = init.Bytes.Length + fragments[0].Length + fragments[1].Length / 2;
        var (_, partial, reader) = await ReadAll(Sample.Value[..cut]);
        Assert.Single(partial);
        Assert.True(reader.EndedMidBox);
    }

    /// <summary>Hands out data in small reads, like a pipe.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
