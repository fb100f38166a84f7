using System.Globalization;

namespace HomeVault.Recording.Rtsp;

/// <summary>
/// Turns the RTP payloads of an RFC 3640 <c>mpeg4-generic</c> AAC stream (AAC-hbr and AAC-lbr: an AU-headers-length,
/// then AU headers of sizelength + indexlength bits, then the AUs) into whole access units, each with its RTP
/// timestamp: the packet's for the first AU, plus one frame per AU after it (RFC 3640 3.2.3.2, an index delta of 0
/// as AAC senders write it). An AU fragmented over packets (one AU header, the size of the whole AU, the same
/// timestamp, the marker on the last) is put back together. After <see cref="Lost"/> an AU left half-received, and
/// the next fragmented one (whose start may be what was lost), are dropped: audio loss costs that audio, nothing else.
/// </summary>
internal sealed class AacDepacketizer
{
    private readonly int _sizeLength;
    private readonly int _indexLength;
    private readonly int _indexDeltaLength;
    private readonly AudioQueue _queue;
    private byte[] _partial = [];
    private int _partialLength;
    private int _partialExpected;
    private long _partialTimestamp;
    private bool _resync;
    private long? _skipped;

    public AacDepacketizer(SdpMedia media, AudioQueue queue)
    {
        ArgumentNullException.ThrowIfNull(media);
        _queue = queue;
        _sizeLength = Number(media, "sizelength", 0);
        _indexLength = Number(media, "indexlength", 0);
        _indexDeltaLength = Number(media, "indexdeltalength", 0);
        if (_sizeLength is < 1 or > 16 || _indexLength > 8 || _indexDeltaLength > 8 || media.Parameter("config") is null)
        {
            throw new NativeIngestUnsupportedException(
                $"AAC (mpeg4-generic) without the AU headers it needs (mode={media.Parameter("mode") ?? "none"}, sizelength, config)");
        }
    }

    /// <summary>The AudioSpecificConfig (ISO 14496-3 1.6.2.1) of an SDP's <c>config=</c>, hex as RFC 3640 4.1 writes it.</summary>
    public static byte[] Config(SdpMedia media)
    {
        ArgumentNullException.ThrowIfNull(media);
        var hex = media.Parameter("config") ?? "";
        try
        {
            var config = Convert.FromHexString(hex);
            return config.Length >= 2 ? config : throw new FormatException("too short");
        }
        catch (FormatException)
        {
            throw new NativeIngestUnsupportedException($"AAC with an AudioSpecificConfig that is not hex ('{hex}')");
        }
    }

    /// <summary>Whether an SDP media section is AAC that this carries as is.</summary>
    public static bool Handles(SdpMedia media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return media.Encoding == "MPEG4-GENERIC"
            && (media.Parameter("mode") ?? "").ToUpperInvariant() is "AAC-HBR" or "AAC-LBR";
    }

    public void Push(ReadOnlySpan<byte> payload, long timestamp, bool marker)
    {
        if (payload.Length < 2)
        {
            throw new InvalidDataException("AAC RTP packet without AU headers");
        }
        var headerBits = (payload[0] << 8) | payload[1];
        var headerBytes = (headerBits + 7) / 8;
        if (2 + headerBytes > payload.Length)
        {
            throw new InvalidDataException("AAC RTP packet shorter than its AU headers");
        }
        var headers = new BitReader(payload.Slice(2, headerBytes));
        var data = payload[(2 + headerBytes)..];
        var count = 0;
        for (var bits = 0; bits + _sizeLength <= headerBits; count++)
        {
            var size = (int)headers.Bits(_sizeLength);
            headers.Skip(count == 0 ? _indexLength : _indexDeltaLength);
            bits += _sizeLength + (count == 0 ? _indexLength : _indexDeltaLength);
            if (count == 0 && size > data.Length)
            {
                Fragment(size, data, timestamp, marker);
                return;
            }
            if (size > data.Length)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"AAC AU of {size} bytes where {data.Length} are left"));
            }
            (_partialLength, _resync) = (0, false); // a whole AU where a fragment was expected: the rest of that AU was lost
            _queue.Add(timestamp + count * _queue.FrameDuration, data[..size]);
            data = data[size..];
        }
    }

    /// <summary>A packet was lost: an AU being put together cannot be completed.</summary>
    public void Lost() => (_partialLength, _resync) = (0, true);

    private void Fragment(int size, ReadOnlySpan<byte> data, long timestamp, bool marker)
    {
        if (_resync || _skipped == timestamp)
        {
            // The first fragment seen after a loss may continue an AU whose start was lost: that AU is dropped whole.
            (_resync, _skipped, _partialLength) = (false, timestamp, 0);
            return;
        }
        if (_partialLength == 0 || _partialTimestamp != timestamp || _partialExpected != size)
        {
            (_partialLength, _partialExpected, _partialTimestamp) = (0, size, timestamp);
            if (_partial.Length < size)
            {
                _partial = new byte[size];
            }
        }
        if (_partialLength + data.Length > size)
        {
            throw new InvalidDataException("AAC AU fragments longer than the AU");
        }
        data.CopyTo(_partial.AsSpan(_partialLength));
        _partialLength += data.Length;
        if (_partialLength == size)
        {
            _queue.Add(timestamp, _partial.AsSpan(0, size));
            _partialLength = 0;
        }
        else if (marker)
        {
            throw new InvalidDataException("AAC AU fragments ended before the AU was whole");
        }
    }

    private static int Number(SdpMedia media, string name, int fallback) =>
        media.Parameter(name) is { } v ? int.TryParse(v, CultureInfo.InvariantCulture, out var n) ? n : -1 : fallback;
}
