using System.Buffers.Binary;

namespace HomeVault.Recording.Rtsp;

/// <summary>A camera's sender report (RFC 3550 6.4.1): its wall clock (NTP) at the moment of an RTP timestamp.</summary>
internal readonly record struct SenderReport(DateTimeOffset Ntp, uint RtpTimestamp);

/// <summary>What the native ingest takes from one compound RTCP packet: whether it says goodbye, and the video's sender report.</summary>
internal readonly record struct RtcpContent(bool Bye, SenderReport? Report);

/// <summary>
/// Compound RTCP (RFC 3550 6.1) as the native ingest reads it: the packets are walked in order, a BYE (6.6) anywhere
/// ends the stream, and the sender report (6.4.1) of the one SSRC asked for is kept (those of other sources are
/// skipped). Whatever is malformed (not version 2, a sender report shorter than its sender info) is ignored, never
/// an error: RTCP only informs.
/// </summary>
internal static class Rtcp
{
    private const int SenderReportType = 200;
    private const int ByeType = 203;

    /// <summary>Header (4), SSRC (4) and sender info (NTP 8, RTP 4, counts 8).</summary>
    private const int SenderReportLength = 28;

    private static readonly DateTimeOffset NtpEra0 = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static RtcpContent Read(ReadOnlySpan<byte> compound, uint? ssrc)
    {
        var bye = false;
        SenderReport? report = null;
        while (compound.Length >= 4 && compound[0] >> 6 == 2)
        {
            var length = 4 * (((compound[2] << 8) | compound[3]) + 1);
            var packet = compound[..Math.Min(length, compound.Length)];
            if (packet[1] == ByeType)
            {
                bye = true;
            }
            else if (packet[1] == SenderReportType && length >= SenderReportLength && packet.Length >= SenderReportLength
                && BinaryPrimitives.ReadUInt32BigEndian(packet[4..]) == ssrc)
            {
                report = new SenderReport(NtpTime(BinaryPrimitives.ReadUInt64BigEndian(packet[8..])), BinaryPrimitives.ReadUInt32BigEndian(packet[16..]));
            }
            compound = compound[packet.Length..];
        }
        return new RtcpContent(bye, report);
    }

    /// <summary>
    /// A 64-bit NTP timestamp (RFC 5905 6: seconds since 1900 and a binary fraction) as a time; seconds with the top
    /// bit clear are taken to be after the era's wrap in February 2036 (RFC 4330 3).
    /// </summary>
    public static DateTimeOffset NtpTime(ulong ntp)
    {
        var seconds = (long)(ntp >> 32);
        if (seconds < 0x8000_0000L)
        {
            seconds += 1L << 32;
        }
        var ticks = (long)((ntp & 0xFFFF_FFFFUL) * TimeSpan.TicksPerSecond >> 32);
        return NtpEra0.AddTicks((seconds * TimeSpan.TicksPerSecond) + ticks);
    }
}
