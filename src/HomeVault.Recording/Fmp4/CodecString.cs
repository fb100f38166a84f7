using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace HomeVault.Recording.Fmp4;

/// <summary>
/// The RFC 6381 codecs parameter of an init segment, as Media Source Extensions need it before the first byte:
/// H.264 from avcC (<c>avc1.64001e</c>), H.265 from hvcC (<c>hvc1.1.6.L93.B0</c>), AAC and Opus by name.
/// </summary>
internal static class CodecString
{
    /// <summary>Sample entry header (6 reserved bytes + data reference index) plus the visual sample entry's fields.</summary>
    private const int VisualEntryBytes = 78;

    public static string ContentType(InitSegment init)
    {
        ArgumentNullException.ThrowIfNull(init);
        var moov = BoxParser.Child(init.Bytes, "moov") ?? throw new Fmp4Exception("init segment without moov");
        var codecs = new List<string>();
        foreach (var (type, trak) in BoxParser.Children(moov))
        {
            if (type == "trak" && Path(trak, "mdia", "minf", "stbl", "stsd") is { Length: > 8 } stsd
                && BoxParser.Children(stsd[8..]).FirstOrDefault() is ({ } entry, var payload) && Codec(entry, payload) is { } codec)
            {
                codecs.Add(codec);
            }
        }
        return $"video/mp4; codecs=\"{string.Join(',', codecs)}\"";
    }

    private static string? Codec(string entry, ReadOnlyMemory<byte> payload) => entry switch
    {
        "avc1" or "avc3" => Config(payload, "avcC") is { Length: >= 4 } c ? string.Create(CultureInfo.InvariantCulture, $"{entry}.{c.Span[1]:x2}{c.Span[2]:x2}{c.Span[3]:x2}") : entry,
        "hvc1" or "hev1" => Config(payload, "hvcC") is { Length: >= 13 } c ? entry + "." + Hevc(c.Span) : entry,
        "mp4a" => "mp4a.40.2",
        "Opus" => "opus",
        _ => null,
    };

    private static ReadOnlyMemory<byte>? Config(ReadOnlyMemory<byte> visualEntry, string box) =>
        visualEntry.Length > VisualEntryBytes ? BoxParser.Child(visualEntry[VisualEntryBytes..], box) : null;

    /// <summary>ISO/IEC 14496-15 annex E: profile space and idc, compatibility flags reversed, tier and level, constraint bytes.</summary>
    private static string Hevc(ReadOnlySpan<byte> c)
    {
        var space = c[1] >> 6;
        var s = new StringBuilder();
        s.Append(space == 0 ? "" : ((char)('A' + space - 1)).ToString()).Append(CultureInfo.InvariantCulture, $"{c[1] & 0x1f}.");
        var compatibility = BinaryPrimitives.ReadUInt32BigEndian(c[2..]);
        uint reversed = 0;
        for (var i = 0; i < 32; i++)
        {
            reversed |= ((compatibility >> i) & 1) << (31 - i);
        }
        s.Append(CultureInfo.InvariantCulture, $"{reversed:X}.{((c[1] >> 5 & 1) == 0 ? 'L' : 'H')}{c[12]}");
        var constraints = c[6..12];
        var last = constraints.LastIndexOfAnyExcept((byte)0);
        for (var i = 0; i <= last; i++)
        {
            s.Append(CultureInfo.InvariantCulture, $".{constraints[i]:X2}");
        }
        return s.ToString();
    }

    private static ReadOnlyMemory<byte>? Path(ReadOnlyMemory<byte> box, params string[] path)
    {
        ReadOnlyMemory<byte>? current = box;
        foreach (var p in path)
        {
            current = current is { } c ? BoxParser.Child(c, p) : null;
        }
        return current;
    }
}
