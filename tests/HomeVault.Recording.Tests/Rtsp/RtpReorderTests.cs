using HomeVault.Recording.Rtsp;

namespace HomeVault.Recording.Tests.Rtsp;

/// <summary>The UDP reordering window: what goes on, in which order, for datagrams that arrive as a network delivers them.</summary>
public sealed class RtpReorderTests
{
    private static byte[] Packet(ushort sequence) => [0x80, 96, (byte)(sequence >> 8), (byte)sequence, 0, 0, 0, 0, 0, 0, 0, 1, 0x65];

    /// <summary>The sequence numbers handed on, datagram by datagram, as <c>RtpOverUdp</c> hands them on (held ones as soon as they are next).</summary>
    private static List<int> Delivered(RtpReorder order, params int[] arrivals)
    {
        var delivered = new List<int>();
        foreach (var sequence in arrivals)
        {
            if (order.Arrived(Packet((ushort)sequence)) == RtpReorder.Verdict.Deliver)
            {
                delivered.Add(sequence);
            }
            while (order.TryTakeNext(out var held))
            {
                delivered.Add((held[2] << 8) | held[3]);
            }
        }
        return delivered;
    }

    [Fact]
    public void Packets_in_order_go_on_at_once()
    {
        Assert.Equal([7, 8, 9, 10], Delivered(new RtpReorder(), 7, 8, 9, 10));
    }

    [Fact]
    public void Packets_out_of_order_go_on_in_order_and_duplicates_are_dropped()
    {
        var order = new RtpReorder();
        Assert.Equal(RtpReorder.Verdict.Deliver, order.Arrived(Packet(1)));
        Assert.Equal(RtpReorder.Verdict.Held, order.Arrived(Packet(3)));
        Assert.Equal(RtpReorder.Verdict.Dropped, order.Arrived(Packet(1)));
        Assert.Equal([2, 3, 4, 5, 6, 7], Delivered(order, 2, 5, 4, 7, 6, 6, 3));
    }

    [Fact]
    public void Order_is_kept_across_the_sequence_wrap()
    {
        Assert.Equal([65534, 65535, 0, 1, 2], Delivered(new RtpReorder(), 65534, 0, 65535, 2, 1));
    }

    [Fact]
    public void A_lost_packet_leaves_its_gap_once_the_window_is_passed_so_the_loss_is_seen_downstream()
    {
        var arrivals = new[] { 1, 2, 3 }.Concat(Enumerable.Range(5, RtpReorder.Window)).ToArray();
        var delivered = Delivered(new RtpReorder(), arrivals);
        Assert.Equal([1, 2, 3, 4 + RtpReorder.Window], delivered);
    }

    [Fact]
    public void A_quiet_stream_gives_up_waiting_and_the_earliest_held_packet_goes_on()
    {
        var order = new RtpReorder();
        Assert.Equal([1], Delivered(order, 1, 4, 3));
        Assert.True(order.TryTakeEarliest(out var held));
        Assert.Equal(3, held[3]);
        Assert.True(order.TryTakeNext(out held));
        Assert.Equal(4, held[3]);
        Assert.False(order.TryTakeEarliest(out _));
    }
}
