using System.Buffers.Binary;
using HomeVault.Recording.Fmp4;
using HomeVault.Recording.Rtsp;

namespace HomeVault.Recording.Tests.Rtsp;

public sealed class DepacketizerTests
{
    private static readonly byte[] Sps = [0x67, 0x64, 0x00, 0x16];
    private static readonly byte[] Pps = [0x68, 0xEF, 0x3C];

    private sealed class Gops
    {
        public List<(long Start, VideoSample[] Samples, byte[] Mdat)> All { get; } = [];

        public void Add(long start, IReadOnlyList<VideoSample> samples, ReadOnlyMemory<byte> mdat) => All.Add((start, [.. samples], mdat.ToArray()));
    }

    private static byte[] Nal(byte header, int size, byte fill)
    {
        var nal = new byte[size];
        Array.Fill(nal, fill);
        nal[0] = header;
        return nal;
    }

    private static byte[] LengthPrefixed(params byte[][] nals) =>
        nals.SelectMany(n => new byte[] { (byte)(n.Length >> 24), (byte)(n.Length >> 16), (byte)(n.Length >> 8), (byte)n.Length }.Concat(n)).ToArray();

    /// <summary>An H.264 NAL cut into FU-A payloads of at most <paramref name="chunk"/> bytes of data.</summary>
    private static List<byte[]> FuA(byte[] nal, int chunk)
    {
        var result = new List<byte[]>();
        var indicator = (byte)((nal[0] & 0xE0) | 28);
        for (var at = 1; at < nal.Length; at += chunk)
        {
            var n = Math.Min(chunk, nal.Length - at);
            var header = (byte)((at == 1 ? 0x80 : 0) | (at + n == nal.Length ? 0x40 : 0) | (nal[0] & 0x1F));
            result.Add([indicator, header, .. nal.AsSpan(at, n)]);
        }
        return result;
    }

    private static byte[] StapA(params byte[][] nals)
    {
        var bytes = new List<byte> { 24 };
        foreach (var n in nals)
        {
            bytes.Add((byte)(n.Length >> 8));
            bytes.Add((byte)n.Length);
            bytes.AddRange(n);
        }
        return [.. bytes];
    }

    [Fact]
    public void Fu_a_fragments_reassemble_into_one_nal_and_groups_start_at_keyframes()
    {
        var gops = new Gops();
        using var d = new NalDepacketizer(false, gops.Add);
        var idr = Nal(0x65, 3000, 0xAB);
        var p1 = Nal(0x41, 700, 0xCD);
        var p2 = Nal(0x41, 10, 0xEF);

        d.Push(Nal(0x41, 50, 1), 1000, marker: true); // before the first keyframe: dropped
        d.Push(StapA(Sps, Pps), 4000, marker: false); // parameter sets go to the init segment, not the sample
        var fus = FuA(idr, 1000);
        Assert.Equal(3, fus.Count);
        for (var i = 0; i < fus.Count; i++)
        {
            d.Push(fus[i], 4000, marker: i == fus.Count - 1);
        }
        foreach (var fu in FuA(p1, 300))
        {
            d.Push(fu, 10000, marker: false); // no marker: the next timestamp closes it
        }
        d.Push(p2, 16000, marker: true);
        Assert.Empty(gops.All);
        d.Push(idr, 22000, marker: true); // the next keyframe hands over the group before it

        var gop = Assert.Single(gops.All);
        Assert.Equal(4000, gop.Start);
        Assert.Equal([new VideoSample(idr.Length + 4, 6000, true), new VideoSample(p1.Length + 4, 6000, false), new VideoSample(p2.Length + 4, 6000, false)], gop.Samples);
        Assert.Equal(LengthPrefixed(idr, p1, p2), gop.Mdat);
        Assert.Equal(Sps, d.Sps);
        Assert.Equal(Pps, d.Pps);

        d.Flush(); // the stop: the keyframe alone, lasting as long as the frame before it
        Assert.Equal(2, gops.All.Count);
        Assert.Equal([new VideoSample(idr.Length + 4, 6000, true)], gops.All[1].Samples);
        Assert.Equal(LengthPrefixed(idr), gops.All[1].Mdat);
    }

    [Fact]
    public void B_frames_decode_at_the_presentation_times_in_order_and_are_shown_their_composition_offset_later()
    {
        var gops = new Gops();
        using var d = new NalDepacketizer(false, gops.Add, null, Sps, Pps);
        // Decode order I P B B, shown as I B B P: RTP timestamps are presentation times.
        foreach (var (header, ts) in new[] { ((byte)0x65, 0L), ((byte)0x41, 9000L), ((byte)0x01, 3000L), ((byte)0x01, 6000L), ((byte)0x65, 12000L) })
        {
            d.Push(Nal(header, 20, 1), ts, marker: true);
        }
        var gop = Assert.Single(gops.All);
        Assert.Equal(0, gop.Start);
        Assert.Equal([new VideoSample(24, 3000, true, 0), new VideoSample(24, 3000, false, 6000), new VideoSample(24, 3000, false, -3000), new VideoSample(24, 3000, false, -3000)], gop.Samples);

        // Shown before the keyframe it follows: an open GOP, whose group cannot be decoded on its own.
        Assert.Throws<NativeIngestUnsupportedException>(() => d.Push(Nal(0x01, 20, 1), 11000, marker: true));
    }

    [Fact]
    public void A_group_is_cut_into_fragments_of_half_a_second_and_only_the_first_starts_at_its_keyframe()
    {
        var gops = new Gops();
        using var d = new NalDepacketizer(false, gops.Add, null, Sps, Pps);
        // 15 frames a second (6000 ticks of 90 kHz), a keyframe every 30 frames.
        for (var i = 0; i <= 30; i++)
        {
            d.Push(Nal(i % 30 == 0 ? (byte)0x65 : (byte)0x41, 100, (byte)i), i * 6000L, marker: true);
        }

        // A fragment closes at the first frame that would take it to half a second (8 frames), and at the next keyframe.
        Assert.Equal([0L, 48000L, 96000L, 144000L], gops.All.Select(g => g.Start));
        Assert.Equal([8, 8, 8, 6], gops.All.Select(g => g.Samples.Length));
        Assert.Equal([true, false, false, false], gops.All.Select(g => g.Samples[0].Key));
        Assert.All(gops.All, g => Assert.All(g.Samples.Skip(1), s => Assert.False(s.Key)));
        Assert.All(gops.All, g => Assert.All(g.Samples, s => Assert.Equal(6000u, s.Duration)));
        Assert.Equal(LengthPrefixed([.. Enumerable.Range(8, 8).Select(i => Nal(0x41, 100, (byte)i))]), gops.All[1].Mdat);

        d.Flush();
        Assert.Equal(180000L, gops.All[^1].Start);
        Assert.True(gops.All[^1].Samples[0].Key);
    }

    [Fact]
    public void Large_frames_close_a_fragment_before_half_a_second_once_it_holds_a_quarter_megabyte()
    {
        var gops = new Gops();
        using var d = new NalDepacketizer(false, gops.Add, null, Sps, Pps);
        for (var i = 0; i < 7; i++)
        {
            d.Push(Nal(i == 0 ? (byte)0x65 : (byte)0x41, 100_000, (byte)i), i * 3000L, marker: true);
        }
        // Three frames hold 300,012 bytes, more than SplitBytes: the fourth starts the next fragment.
        Assert.Equal([3, 3], gops.All.Select(g => g.Samples.Length));
        Assert.True(gops.All.All(g => g.Mdat.Length >= NalDepacketizer.SplitBytes && g.Mdat.Length < NalDepacketizer.SplitBytes + 100_004));

        // A frame larger than that alone goes as soon as the next one begins, before a byte of it joins the buffer.
        var single = new Gops();
        using var e = new NalDepacketizer(false, single.Add, null, Sps, Pps);
        var key = Nal(0x65, 900_000, 9);
        e.Push(key, 0, marker: true);
        Assert.Empty(single.All);
        e.Push(FuA(Nal(0x41, 5000, 1), 1000)[0], 6000, marker: false);
        var alone = Assert.Single(single.All);
        Assert.Equal([new VideoSample(key.Length + 4, 6000, true)], alone.Samples);

        // A stop hands over a full fragment still waiting for its cut; frames after it start afresh.
        var stopped = new Gops();
        using var f = new NalDepacketizer(false, stopped.Add, null, Sps, Pps);
        f.Push(key, 0, marker: true);
        f.Flush();
        f.Push(Nal(0x41, 5000, 2), 6000, marker: true);
        f.Push(Nal(0x65, 5000, 3), 12000, marker: true);
        Assert.Equal([[true], [false]], stopped.All.Select(g => g.Samples.Select(s => s.Key).ToArray()));
    }

    [Fact]
    public void A_buffer_grown_for_an_outsized_frame_shrinks_back_to_what_the_stream_needs_without_losing_a_byte()
    {
        var gops = new Gops();
        using var d = new NalDepacketizer(false, gops.Add, null, Sps, Pps);
        d.Push(Nal(0x65, 900_000, 1), 0, marker: true); // a first keyframe as camsim's x264 makes it
        Assert.True(d.Capacity > 900_000);
        var frames = new List<byte[]>();
        for (var i = 1; i <= 8 * 140; i++)
        {
            var frame = Nal(0x41, 3000 + i, (byte)i);
            frames.Add(frame);
            d.Push(frame, i * 6000L, marker: true);
        }
        d.Flush();

        Assert.True(d.Capacity <= 512 << 10, $"{d.Capacity} bytes kept");
        Assert.Equal(141, gops.All.Count); // the keyframe alone, then 140 fragments of 8 frames: two windows of 64 decide the size
        Assert.Equal(frames.Select(f => LengthPrefixed(f)), gops.All.Skip(1).SelectMany(g => SplitLengthPrefixed(g.Mdat)));
    }

    private static IEnumerable<byte[]> SplitLengthPrefixed(byte[] mdat)
    {
        for (var at = 0; at < mdat.Length;)
        {
            var n = BinaryPrimitives.ReadInt32BigEndian(mdat.AsSpan(at));
            yield return mdat[at..(at + 4 + n)];
            at += 4 + n;
        }
    }

    [Fact]
    public void A_stream_with_b_frames_keeps_its_groups_whole_and_one_whose_b_frames_begin_after_a_cut_is_refused()
    {
        var gops = new Gops();
        using var d = new NalDepacketizer(false, gops.Add, null, Sps, Pps);
        // I P B B P B B ... for 1.2 s: shown out of the order sent, so no cut until the next keyframe.
        var sent = new List<long> { 0 };
        for (var p = 3; p <= 30; p += 3)
        {
            sent.AddRange([p * 3000L, (p - 2) * 3000L, (p - 1) * 3000L]);
        }
        foreach (var ts in sent)
        {
            d.Push(Nal(ts == 0 ? (byte)0x65 : (byte)0x41, 50, 1), ts, marker: true);
        }
        d.Push(Nal(0x65, 50, 2), 93000, marker: true);
        var gop = Assert.Single(gops.All);
        Assert.Equal(sent.Count, gop.Samples.Length);

        // Without B-frames at first, a group is cut at half a second; a frame then shown before the cut cannot be placed.
        using var later = new NalDepacketizer(false, (_, _, _) => { }, null, Sps, Pps);
        for (var i = 0; i <= 8; i++)
        {
            later.Push(Nal(i == 0 ? (byte)0x65 : (byte)0x41, 50, 1), i * 6000L, marker: true);
        }
        var refused = Assert.Throws<NativeIngestUnsupportedException>(() => later.Push(Nal(0x01, 50, 1), 45000, marker: true));
        Assert.Contains("B-frames", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stap_a_units_become_one_sample_of_several_nals()
    {
        var gops = new Gops();
        using var d = new NalDepacketizer(false, gops.Add, null, Sps, Pps);
        var sei = Nal(0x06, 20, 7);
        var idr = Nal(0x65, 100, 8);
        d.Push(StapA(Nal(0x09, 2, 0), sei, idr), 0, marker: true); // the delimiter is dropped
        d.Push(Nal(0x65, 50, 9), 3000, marker: true);
        var gop = Assert.Single(gops.All);
        Assert.Equal([new VideoSample(sei.Length + idr.Length + 8, 3000, true)], gop.Samples);
        Assert.Equal(LengthPrefixed(sei, idr), gop.Mdat);
        Assert.False(d.ParameterSetsChanged);
        d.Push(StapA([0x67, 0x64, 0x00, 0x1F], Pps), 6000, marker: false);
        Assert.True(d.ParameterSetsChanged);
    }

    [Fact]
    public void H265_fragmentation_units_and_aggregation_packets_reassemble()
    {
        var gops = new Gops();
        using var d = new NalDepacketizer(true, gops.Add);
        byte[] vps = [0x40, 0x01, 0x0C], sps = [0x42, 0x01, 0x01], pps = [0x44, 0x01, 0xC0];
        var idr = Nal(0x26, 2500, 0x55); // IDR_W_RADL (19)
        idr[1] = 0x01;
        var ap = new List<byte> { 48 << 1, 0x01 };
        foreach (var n in new[] { vps, sps, pps })
        {
            ap.AddRange([0, (byte)n.Length, .. n]);
        }
        d.Push(ap.ToArray(), 90000, marker: false);
        for (var at = 2; at < idr.Length; at += 1000)
        {
            var n = Math.Min(1000, idr.Length - at);
            var fu = (byte)((at == 2 ? 0x80 : 0) | (at + n == idr.Length ? 0x40 : 0) | 19);
            d.Push([49 << 1, 0x01, fu, .. idr.AsSpan(at, n)], 90000, marker: at + n == idr.Length);
        }
        var trail = Nal(0x02, 40, 0x66); // TRAIL_R (1)
        trail[1] = 0x01;
        d.Push(trail, 96000, marker: true);
        d.Flush();
        var gop = Assert.Single(gops.All);
        Assert.Equal([new VideoSample(idr.Length + 4, 6000, true), new VideoSample(trail.Length + 4, 6000, false)], gop.Samples);
        Assert.Equal(LengthPrefixed(idr, trail), gop.Mdat);
        Assert.Equal(vps, d.Vps);
        Assert.Equal(sps, d.Sps);
        Assert.Equal(pps, d.Pps);
    }

    [Fact]
    public void A_stop_inside_a_fragmented_frame_keeps_the_whole_frames_before_it()
    {
        var gops = new Gops();
        using var d = new NalDepacketizer(false, gops.Add, null, Sps, Pps);
        var idr = Nal(0x65, 100, 8);
        var p = Nal(0x41, 900, 9);
        d.Push(idr, 0, marker: true);
        d.Push(p, 3000, marker: true);
        d.Push(FuA(Nal(0x41, 900, 7), 300)[0], 6000, marker: false); // the stop comes before the rest of this frame
        d.Flush();
        var gop = Assert.Single(gops.All);
        Assert.Equal([new VideoSample(idr.Length + 4, 3000, true), new VideoSample(p.Length + 4, 3000, false)], gop.Samples);
        Assert.Equal(LengthPrefixed(idr, p), gop.Mdat);
    }

    [Fact]
    public void Two_groups_closed_by_one_packet_are_handed_over_one_after_the_other()
    {
        var gops = new Gops();
        using var d = new NalDepacketizer(false, gops.Add, null, Sps, Pps);
        var a = Nal(0x65, 100, 1);
        var b = Nal(0x65, 200, 2);
        d.Push(a, 0, marker: false);
        d.Push(b, 3000, marker: false); // closes a (no marker)
        d.Push(Nal(0x65, 50, 3), 6000, marker: true); // closes b by its new timestamp, then itself by the marker
        Assert.Equal(2, gops.All.Count);
        Assert.Equal(LengthPrefixed(a), gops.All[0].Mdat);
        Assert.Equal(LengthPrefixed(b), gops.All[1].Mdat);
        Assert.Equal((0L, 3000L), (gops.All[0].Start, gops.All[1].Start));
    }

    [Fact]
    public void A_header_prepended_to_each_group_sits_right_before_it_even_for_two_groups_from_one_packet()
    {
        var fragments = new List<Memory<byte>>();
        NalDepacketizer? d = null;
        var header = 0;
        d = new NalDepacketizer(false, (_, samples, _) => fragments.Add(d!.Prepend(Enumerable.Repeat((byte)(0xF0 + header++), 1500 + 12 * samples.Count).ToArray())), null, Sps, Pps);
        var a = Nal(0x65, 100, 1);
        var b = Nal(0x65, 200, 2);
        d.Push(a, 0, marker: false);
        d.Push(b, 3000, marker: false);
        d.Push(Nal(0x65, 50, 3), 6000, marker: true); // two groups at once, headers larger than the headroom kept

        Assert.Equal(2, fragments.Count);
        Assert.Equal([.. Enumerable.Repeat((byte)0xF0, 1512), .. LengthPrefixed(a)], fragments[0].ToArray());
        Assert.Equal([.. Enumerable.Repeat((byte)0xF1, 1512), .. LengthPrefixed(b)], fragments[1].ToArray());
        d.Push(Nal(0x41, 60, 4), 9000, marker: true);
        d.Flush();
        Assert.Equal([.. Enumerable.Repeat((byte)0xF2, 1524), .. LengthPrefixed(Nal(0x65, 50, 3), Nal(0x41, 60, 4))], fragments[2].ToArray());
    }

    [Fact]
    public void A_fragment_continued_without_its_start_is_refused()
    {
        using var d = new NalDepacketizer(false, (_, _, _) => { });
        var fus = FuA(Nal(0x65, 500, 1), 200);
        Assert.Throws<InvalidDataException>(() => d.Push(fus[1], 0, marker: false));
    }

    [Fact]
    public void Rtp_timestamps_extend_across_the_32_bit_wrap_and_sequence_gaps_are_counted_across_theirs()
    {
        var seq = new RtpSequence();
        Assert.Equal(0xFFFF_F000L, seq.Extend(0xFFFF_F000));
        Assert.Equal(0x1_0000_0BB8L, seq.Extend(0x0000_0BB8)); // wrapped: still 7096 ticks later
        Assert.Equal(0x1_0000_0000L, seq.Extend(0x0000_0000)); // a step back stays a step back

        Assert.Equal(0, seq.Missing(65534));
        Assert.Equal(0, seq.Missing(65535));
        Assert.Equal(0, seq.Missing(0));
        Assert.Equal(2, seq.Missing(3));
        Assert.NotEqual(0, seq.Missing(2)); // reordered (late) packet: over TCP, that is loss too
    }

    [Fact]
    public void Rtp_header_with_csrcs_extension_and_padding_yields_the_payload()
    {
        byte[] packet = [0xB1, 0xE0, 0x12, 0x34, 0, 0, 0x10, 0, 1, 2, 3, 4, /* CSRC */ 9, 9, 9, 9, /* ext */ 0xBE, 0xDE, 0, 1, 7, 7, 7, 7, /* payload */ 0x65, 0xAA, /* padding */ 0, 0, 3];
        var p = new RtpPacket(packet);
        Assert.True(p.Marker);
        Assert.Equal(96, p.PayloadType);
        Assert.Equal(0x1234, p.Sequence);
        Assert.Equal(0x1000u, p.Timestamp);
        Assert.Equal(new byte[] { 0x65, 0xAA }, p.Payload.ToArray());
        Assert.Equal(0x1234, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2)));
    }
}
