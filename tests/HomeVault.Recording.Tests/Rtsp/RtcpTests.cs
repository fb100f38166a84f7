using System.Buffers.Binary;
using HomeVault.Recording.Rtsp;

namespace HomeVault.Recording.Tests.Rtsp;

/// <summary>Compound RTCP as the native ingest reads it, on packets built by hand (RFC 3550 6.4.1, 6.5, 6.6).</summary>
public sealed class RtcpTests
{
    private const uint Video = 0x1234_5678;

    /// <summary>2026-12-06 12:00:00.5 UTC as NTP: seconds since 1900, then half a second as a binary fraction.</summary>
    private static readonly DateTimeOffset At = new(2026, 12, 6, 12, 0, 0, 500, TimeSpan.Zero);

    private static ulong Ntp(DateTimeOffset t) =>
        ((ulong)(t - new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalSeconds << 32) | (ulong)(t.Millisecond / 1000.0 * 4294967296.0);

    /// <summary>A sender report without report blocks: header, SSRC, NTP, RTP timestamp, packet and octet counts.</summary>
    private static byte[] SenderReport(uint ssrc, DateTimeOffset ntp, uint rtp)
    {
        var p = new byte[28];
        p[0] = 0x80;
        p[1] = 200;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), 6);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(4), ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(p.AsSpan(8), Ntp(ntp));
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(16), rtp);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(20), 1000);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(24), 1_000_000);
        return p;
    }

    /// <summary>A receiver report with one report block about <paramref name="about"/> (a camera never sends one, a peer might).</summary>
    private static byte[] ReceiverReport(uint ssrc, uint about)
    {
        var p = new byte[32];
        p[0] = 0x81;
        p[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), 7);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(4), ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(8), about);
        return p;
    }

    /// <summary>An SDES with one CNAME item, padded to a 32-bit boundary.</summary>
    private static byte[] Sdes(uint ssrc) =>
        [0x81, 202, 0, 3, (byte)(ssrc >> 24), (byte)(ssrc >> 16), (byte)(ssrc >> 8), (byte)ssrc, 1, 3, (byte)'c', (byte)'a', (byte)'m', 0, 0, 0];

    private static byte[] Bye(uint ssrc) => [0x81, 203, 0, 1, (byte)(ssrc >> 24), (byte)(ssrc >> 16), (byte)(ssrc >> 8), (byte)ssrc];

    [Fact]
    public void A_sender_report_of_the_video_gives_its_wall_clock_and_rtp_timestamp()
    {
        var content = Rtcp.Read(SenderReport(Video, At, 90_000), Video);

        Assert.False(content.Bye);
        Assert.Equal(new SenderReport(At, 90_000), content.Report);
    }

    [Fact]
    public void A_sender_report_followed_by_sdes_is_read_as_one_compound_packet()
    {
        var content = Rtcp.Read([.. SenderReport(Video, At, 42), .. Sdes(Video)], Video);

        Assert.Equal(new SenderReport(At, 42), content.Report);
        Assert.False(content.Bye);
    }

    [Fact]
    public void The_sender_report_of_another_source_or_before_the_video_is_known_is_ignored()
    {
        Assert.Null(Rtcp.Read([.. SenderReport(0xAAAA_0001, At, 42), .. Sdes(0xAAAA_0001)], Video).Report);
        Assert.Null(Rtcp.Read(SenderReport(Video, At, 42), null).Report);
        // Of two in one compound packet, the video's.
        Assert.Equal(new SenderReport(At, 7), Rtcp.Read([.. SenderReport(0xAAAA_0001, At.AddHours(1), 1), .. SenderReport(Video, At, 7)], Video).Report);
    }

    [Fact]
    public void A_receiver_report_alone_holds_no_sender_report()
    {
        var content = Rtcp.Read([.. ReceiverReport(Video, 0xAAAA_0001), .. Sdes(Video)], Video);

        Assert.Equal(new RtcpContent(false, null), content);
    }

    [Theory]
    [InlineData(27)] // the sender info cut short
    [InlineData(12)]
    [InlineData(3)] // not even a header
    public void A_truncated_sender_report_is_ignored_not_an_error(int length)
    {
        Assert.Equal(new RtcpContent(false, null), Rtcp.Read(SenderReport(Video, At, 42).AsSpan(0, length), Video));
    }

    [Fact]
    public void A_sender_report_whose_length_field_is_too_short_for_its_sender_info_is_ignored()
    {
        var packet = SenderReport(Video, At, 42);
        packet[3] = 1; // 8 bytes: header and SSRC only
        Assert.Null(Rtcp.Read(packet.AsSpan(0, 8), Video).Report);
        Assert.Null(Rtcp.Read(packet, Video).Report);
    }

    [Fact]
    public void Not_version_2_is_ignored_from_there_on()
    {
        var packet = SenderReport(Video, At, 42);
        packet[0] = 0x40;
        Assert.Equal(new RtcpContent(false, null), Rtcp.Read([.. packet, .. Bye(Video)], Video));
    }

    [Fact]
    public void A_bye_alone_or_after_a_sender_report_says_goodbye()
    {
        Assert.Equal(new RtcpContent(true, null), Rtcp.Read(Bye(Video), Video));
        Assert.Equal(new RtcpContent(true, new SenderReport(At, 42)), Rtcp.Read([.. SenderReport(Video, At, 42), .. Bye(Video)], Video));
    }

    [Fact]
    public void Ntp_seconds_past_the_2036_wrap_count_from_the_next_era()
    {
        Assert.Equal(new DateTimeOffset(2036, 2, 7, 6, 28, 16, TimeSpan.Zero), Rtcp.NtpTime(0));
        Assert.Equal(new DateTimeOffset(2036, 2, 7, 6, 28, 15, 500, TimeSpan.Zero), Rtcp.NtpTime((0xFFFF_FFFFUL << 32) | 0x8000_0000UL));
    }

    [Fact]
    public void A_sender_report_timestamp_is_placed_across_the_32_bit_wrap_without_moving_the_line()
    {
        var sequence = new RtpSequence();
        Assert.Null(sequence.Place(5));
        Assert.Equal(0xFFFF_FF00L, sequence.Extend(0xFFFF_FF00));
        Assert.Equal(0x1_0000_0010L, sequence.Place(0x10));
        Assert.Equal(0xFFFF_FE00L, sequence.Place(0xFFFF_FE00));
        Assert.Equal(0xFFFF_FF10L, sequence.Extend(0xFFFF_FF10)); // the line is where the packets left it
        Assert.Equal(0x1_0000_0005L, sequence.Extend(5));
    }
}
