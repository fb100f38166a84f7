using System.Buffers.Binary;

namespace HomeVault.Recording.Tests.Rtsp;

/// <summary>
/// A TCP proxy on loopback in front of an RTSP server that drops one interleaved RTP packet (of channel 0, the video, or
/// the channel given) of the first connection: a camera that lost a packet. RTSP messages and every other frame pass through as they are.
/// </summary>
internal sealed class LossyProxy : RtspProxy
{
    private readonly int _dropPacket;
    private readonly int _channel;
    private int _connections;

    public LossyProxy(int targetPort, int dropPacket, int channel = 0)
        : base(targetPort)
    {
        _dropPacket = dropPacket;
        _channel = channel;
        Start();
    }

    /// <summary>Set once the packet was dropped.</summary>
    public bool Dropped { get; private set; }

    protected override void Connected(Stream client, Stream server, CancellationToken ct)
    {
        var lossy = Interlocked.Increment(ref _connections) == 1;
        Track(RtspWire.PipeAsync(client, server, ct));
        Track(FramesAsync(server, client, lossy, ct));
    }

    /// <summary>Server to client, frame by frame: '$' frames by their length, RTSP messages by their headers and Content-Length.</summary>
    private async Task FramesAsync(Stream from, Stream to, bool lossy, CancellationToken ct)
    {
        var reader = new BufferedStream(from, 1 << 16);
        var packets = 0;
        try
        {
            var one = new byte[1];
            while (await reader.ReadAsync(one, ct) == 1)
            {
                if (one[0] == (byte)'$')
                {
                    var header = new byte[3];
                    await reader.ReadExactlyAsync(header, ct);
                    var payload = new byte[BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(1))];
                    await reader.ReadExactlyAsync(payload, ct);
                    if (lossy && header[0] == _channel && ++packets == _dropPacket)
                    {
                        Dropped = true;
                        continue;
                    }
                    await to.WriteAsync(new byte[] { one[0], header[0], header[1], header[2] }, ct);
                    await to.WriteAsync(payload, ct);
                    continue;
                }
                if (await RtspWire.ReadMessageAsync(reader, one[0], ct) is not { } message)
                {
                    return;
                }
                await RtspWire.WriteMessageAsync(to, message, ct);
            }
        }
        // The other direction closes the server's stream when the client leaves; a read through the buffer then finds a
        // stream that no longer reads (NotSupportedException) rather than a disposed one: the same end.
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or EndOfStreamException or NotSupportedException)
        {
        }
        finally
        {
            to.Close();
        }
    }
}
