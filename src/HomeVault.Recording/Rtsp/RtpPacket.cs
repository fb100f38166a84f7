using System.Buffers.Binary;

namespace HomeVault.Recording.Rtsp;

/// <summary>The fixed RTP header (RFC 3550 5.1) and the payload after CSRCs, extension and padding.</summary>
internal readonly ref struct RtpPacket
{
    public RtpPacket(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 12 || packet[0] >> 6 != 2)
        {
            throw new InvalidDataException("RTP packet with a bad header");
        }
        Marker = (packet[1] & 0x80) != 0;
        PayloadType = packet[1] & 0x7F;
        Sequence = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        Timestamp = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        Ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        var offset = 12 + 4 * (packet[0] & 0x0F);
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < offset + 4)
            {
                throw new InvalidDataException("RTP header extension truncated");
            }
            offset += 4 + 4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
        }
        var end = packet.Length;
        if ((packet[0] & 0x20) != 0 && end > 0)
        {
            end -= packet[^1];
        }
        if (offset > end)
        {
            throw new InvalidDataException("RTP packet shorter than its header");
        }
        Payload = packet[offset..end];
    }

    public bool Marker { get; }

    public int PayloadType { get; }

    public ushort Sequence { get; }

    public uint Timestamp { get; }

    /// <summary>The source: what a sender report (RTCP) names to say which stream it is about.</summary>
    public uint Ssrc { get; }

    public ReadOnlySpan<byte> Payload { get; }
}

/// <summary>
/// One RTP stream's order: a sequence number that is not the one expected is loss (or reordering, which over TCP
/// is loss too), and 32-bit timestamps are extended to 64 bits across their wrap.
/// </summary>
internal sealed class RtpSequence
{
    private ushort? _expected;
    private long _extended;
    private bool _started;

    /// <summary>How many packets were missing before this one (0 when in order; the first packet is in order).</summary>
    public int Missing(ushort sequence)
    {
        var missing = _expected is { } e ? (ushort)(sequence - e) : 0;
        _expected = (ushort)(sequence + 1);
        return missing;
    }

    /// <summary>The timestamp on a 64-bit line that does not wrap: each step is the signed 32-bit difference to the last one.</summary>
    public long Extend(uint timestamp)
    {
        _extended = Place(timestamp) ?? timestamp;
        _started = true;
        return _extended;
    }

    /// <summary>
    /// Where a timestamp from elsewhere (a sender report) falls on the same line, as <see cref="Extend"/> would place it,
    /// without moving the line; null before the first packet.
    /// </summary>
    public long? Place(uint timestamp) => _started ? _extended + (int)(timestamp - (uint)_extended) : null;
}
