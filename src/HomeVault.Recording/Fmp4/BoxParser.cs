using System.Buffers.Binary;

namespace HomeVault.Recording.Fmp4;

/// <summary>Reads the few fields we need from moov and moof payloads already in memory.</summary>
internal static class BoxParser
{
    /// <summary>Children of a container payload: (type, payload) pairs; throws on a size that leaves the parent.</summary>
    public static IEnumerable<(string Type, ReadOnlyMemory<byte> Payload)> Children(ReadOnlyMemory<byte> payload) =>
        ChildrenAt(payload).Select(c => (c.Type, c.Payload));

    /// <summary>Like <see cref="Children"/>, with each payload's offset inside <paramref name="payload"/>.</summary>
    public static IEnumerable<(string Type, ReadOnlyMemory<byte> Payload, int Offset)> ChildrenAt(ReadOnlyMemory<byte> payload)
    {
        var pos = 0;
        while (pos + 8 <= payload.Length)
        {
            var span = payload.Span[pos..];
            ulong size = BinaryPrimitives.ReadUInt32BigEndian(span);
            var type = System.Text.Encoding.ASCII.GetString(span.Slice(4, 4));
            var header = 8;
            if (size == 1)
            {
                if (span.Length < 16)
                {
                    throw new Fmp4Exception($"box '{type}' truncated large size");
                }
                size = BinaryPrimitives.ReadUInt64BigEndian(span[8..]);
                header = 16;
            }
            else if (size == 0)
            {
                size = (ulong)span.Length;
            }
            if (size < (ulong)header || size > (ulong)span.Length)
            {
                throw new Fmp4Exception($"box '{type}' size {size} does not fit its parent");
            }
            yield return (type, payload.Slice(pos + header, (int)size - header), pos + header);
            pos += (int)size;
        }
    }

    public static ReadOnlyMemory<byte>? Child(ReadOnlyMemory<byte> payload, string type)
    {
        foreach (var (t, p) in Children(payload))
        {
            if (t == type)
            {
                return p;
            }
        }
        return null;
    }

    public static List<TrackInfo> ParseMoov(ReadOnlyMemory<byte> moov)
    {
        var trex = new Dictionary<uint, (uint Duration, uint Flags)>();
        var tracks = new List<(uint Id, uint Timescale, string Handler)>();
        foreach (var (type, payload) in Children(moov))
        {
            if (type == "trak")
            {
                tracks.Add(ParseTrak(payload));
            }
            else if (type == "mvex")
            {
                foreach (var (t, p) in Children(payload))
                {
                    if (t == "trex" && p.Length >= 24)
                    {
                        var s = p.Span;
                        trex[BinaryPrimitives.ReadUInt32BigEndian(s[4..])] = (BinaryPrimitives.ReadUInt32BigEndian(s[12..]), BinaryPrimitives.ReadUInt32BigEndian(s[20..]));
                    }
                }
            }
        }
        return tracks.Select(t => trex.TryGetValue(t.Id, out var d)
            ? new TrackInfo(t.Id, t.Timescale, t.Handler, d.Duration, d.Flags)
            : new TrackInfo(t.Id, t.Timescale, t.Handler, 0)).ToList();
    }

    private static (uint, uint, string) ParseTrak(ReadOnlyMemory<byte> trak)
    {
        var tkhd = Child(trak, "tkhd") ?? throw new Fmp4Exception("trak without tkhd");
        var s = tkhd.Span;
        Need(s, 4, "tkhd");
        var idOffset = s[0] == 1 ? 20 : 12;
        Need(s, idOffset + 4, "tkhd");
        var id = BinaryPrimitives.ReadUInt32BigEndian(s[idOffset..]);

        var mdia = Child(trak, "mdia") ?? throw new Fmp4Exception("trak without mdia");
        var mdhd = (Child(mdia, "mdhd") ?? throw new Fmp4Exception("mdia without mdhd")).Span;
        Need(mdhd, 4, "mdhd");
        var tsOffset = mdhd[0] == 1 ? 20 : 12;
        Need(mdhd, tsOffset + 4, "mdhd");
        var timescale = BinaryPrimitives.ReadUInt32BigEndian(mdhd[tsOffset..]);
        if (timescale == 0)
        {
            throw new Fmp4Exception($"track {id}: timescale 0");
        }
        var hdlr = (Child(mdia, "hdlr") ?? throw new Fmp4Exception("mdia without hdlr")).Span;
        Need(hdlr, 12, "hdlr");
        var handler = System.Text.Encoding.ASCII.GetString(hdlr.Slice(8, 4));
        return (id, timescale, handler);
    }

    /// <summary>
    /// From a moof payload: per traf, tfdt's baseMediaDecodeTime (and where it is), the summed sample durations, and whether
    /// the first sample is a sync sample (its flags from the trun, else the tfhd's defaults, else the trex's: ISO 14496-12 8.8.3.1).
    /// </summary>
    public static List<TrackTime> ParseMoof(ReadOnlyMemory<byte> moof, IReadOnlyList<TrackInfo> tracks, int payloadOffset)
    {
        var result = new List<TrackTime>();
        foreach (var (type, traf, trafOffset) in ChildrenAt(moof))
        {
            if (type != "traf")
            {
                continue;
            }
            var tfhd = (Child(traf, "tfhd") ?? throw new Fmp4Exception("traf without tfhd")).Span;
            Need(tfhd, 8, "tfhd");
            var flags = ReadFlags(tfhd);
            var trackId = BinaryPrimitives.ReadUInt32BigEndian(tfhd[4..]);
            var pos = 8;
            if ((flags & 0x01) != 0)
            {
                pos += 8;
            }
            if ((flags & 0x02) != 0)
            {
                pos += 4;
            }
            var track = tracks.FirstOrDefault(t => t.TrackId == trackId);
            var defaultDuration = track?.DefaultSampleDuration ?? 0;
            if ((flags & 0x08) != 0)
            {
                Need(tfhd, pos + 4, "tfhd");
                defaultDuration = BinaryPrimitives.ReadUInt32BigEndian(tfhd[pos..]);
                pos += 4;
            }
            if ((flags & 0x10) != 0)
            {
                pos += 4;
            }
            var defaultFlags = track?.DefaultSampleFlags ?? 0;
            if ((flags & 0x20) != 0)
            {
                Need(tfhd, pos + 4, "tfhd");
                defaultFlags = BinaryPrimitives.ReadUInt32BigEndian(tfhd[pos..]);
            }

            var (_, tfdtMemory, tfdtOffset) = ChildrenAt(traf).FirstOrDefault(c => c.Type == "tfdt");
            if (tfdtMemory.IsEmpty)
            {
                throw new Fmp4Exception($"traf of track {trackId} without tfdt");
            }
            var tfdt = tfdtMemory.Span;
            Need(tfdt, 8, "tfdt");
            ulong baseTime = tfdt[0] == 1
                ? (tfdt.Length >= 12 ? BinaryPrimitives.ReadUInt64BigEndian(tfdt[4..]) : throw new Fmp4Exception("tfdt truncated"))
                : BinaryPrimitives.ReadUInt32BigEndian(tfdt[4..]);

            ulong duration = 0;
            uint? firstFlags = null;
            foreach (var (t, trun) in Children(traf))
            {
                if (t == "trun")
                {
                    duration += TrunDuration(trun.Span, defaultDuration);
                    firstFlags ??= FirstSampleFlags(trun.Span);
                }
            }
            var sync = ((firstFlags ?? defaultFlags) & NonSyncSample) == 0;
            result.Add(new TrackTime(trackId, baseTime, duration, payloadOffset + trafOffset + tfdtOffset + 4, tfdt[0] == 1, sync));
        }
        return result;
    }

    /// <summary>sample_is_non_sync_sample in a sample's flags (ISO 14496-12 8.8.3.1).</summary>
    private const uint NonSyncSample = 0x00010000;

    /// <summary>The trun's first sample's flags when it carries them (first_sample_flags, or per-sample flags); else null.</summary>
    private static uint? FirstSampleFlags(ReadOnlySpan<byte> trun)
    {
        var flags = ReadFlags(trun);
        var count = BinaryPrimitives.ReadUInt32BigEndian(trun[4..]);
        var pos = 8 + ((flags & 0x01) != 0 ? 4 : 0);
        if ((flags & 0x04) != 0)
        {
            return BinaryPrimitives.ReadUInt32BigEndian(trun[pos..]);
        }
        if ((flags & 0x400) == 0 || count == 0)
        {
            return null;
        }
        pos += ((flags & 0x100) != 0 ? 4 : 0) + ((flags & 0x200) != 0 ? 4 : 0);
        return BinaryPrimitives.ReadUInt32BigEndian(trun[pos..]);
    }

    private static ulong TrunDuration(ReadOnlySpan<byte> trun, uint defaultDuration)
    {
        Need(trun, 8, "trun");
        var flags = ReadFlags(trun);
        var count = BinaryPrimitives.ReadUInt32BigEndian(trun[4..]);
        var pos = 8 + ((flags & 0x01) != 0 ? 4 : 0) + ((flags & 0x04) != 0 ? 4 : 0);
        var perSample = 0;
        foreach (var bit in new[] { 0x100, 0x200, 0x400, 0x800 })
        {
            perSample += (flags & bit) != 0 ? 4 : 0;
        }
        if ((ulong)pos + (ulong)count * (ulong)perSample > (ulong)trun.Length)
        {
            throw new Fmp4Exception($"trun claims {count} samples, more than its box holds");
        }
        if ((flags & 0x100) == 0)
        {
            return (ulong)count * defaultDuration;
        }
        ulong sum = 0;
        for (var i = 0; i < count; i++, pos += perSample)
        {
            sum += BinaryPrimitives.ReadUInt32BigEndian(trun[pos..]);
        }
        return sum;
    }

    private static uint ReadFlags(ReadOnlySpan<byte> fullBox) => BinaryPrimitives.ReadUInt32BigEndian(fullBox) & 0xFFFFFF;

    private static void Need(ReadOnlySpan<byte> s, int length, string box)
    {
        if (s.Length < length)
        {
            throw new Fmp4Exception($"'{box}' box truncated");
        }
    }
}
