using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace HomeVault.Recording.Tests.Rtsp;

/// <summary>
/// An RTSP proxy on loopback that puts a UDP relay between the server and the client: each SETUP's
/// <c>client_port=A-B</c> is rewritten to a pair of relay ports, and what the server sends there goes on to A and B,
/// except one RTP datagram of the first session, which is dropped (a network that lost a packet) or sent after the
/// one behind it (a network that reordered two).
/// </summary>
internal sealed partial class UdpLossyProxy : RtspProxy
{
    private readonly int _packet;
    private readonly bool _swap;
    private readonly List<UdpClient> _relays = [];
    private int _sessions;

    /// <param name="packet">Which RTP datagram of the first session (from 1) is damaged.</param>
    /// <param name="swap">Send it after the next one instead of dropping it.</param>
    public UdpLossyProxy(int targetPort, int packet, bool swap = false)
        : base(targetPort)
    {
        _packet = packet;
        _swap = swap;
        Start();
    }

    /// <summary>Set once the datagram was dropped or swapped.</summary>
    public bool Damaged { get; private set; }

    [GeneratedRegex(@"client_port=(\d+)-(\d+)")]
    private static partial Regex ClientPort();

    protected override void Connected(Stream client, Stream server, CancellationToken ct)
    {
        Track(RequestsAsync(client, server, ct));
        Track(RtspWire.PipeAsync(server, client, ct));
    }

    /// <summary>Client to server, message by message, with each SETUP's client ports replaced by a relay's.</summary>
    private async Task RequestsAsync(Stream from, Stream to, CancellationToken ct)
    {
        try
        {
            var one = new byte[1];
            while (await from.ReadAsync(one, ct) == 1 && await RtspWire.ReadMessageAsync(from, one[0], ct) is { } message)
            {
                var head = message.Head;
                if (head.StartsWith("SETUP ", StringComparison.Ordinal) && ClientPort().Match(head) is { Success: true } ports)
                {
                    var lossy = Interlocked.Increment(ref _sessions) == 1;
                    var rtp = Relay(int.Parse(ports.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), lossy, ct);
                    var rtcp = Relay(int.Parse(ports.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), false, ct);
                    head = ClientPort().Replace(head, $"client_port={rtp}-{rtcp}");
                }
                await RtspWire.WriteMessageAsync(to, (head, message.Body), ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or EndOfStreamException)
        {
        }
        to.Close();
    }

    /// <summary>A relay port whose datagrams go on to the client's <paramref name="clientPort"/>; returns the relay's port.</summary>
    private int Relay(int clientPort, bool lossy, CancellationToken ct)
    {
        var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Client.ReceiveBufferSize = 4 << 20;
        lock (_relays)
        {
            _relays.Add(socket);
        }
        var client = new IPEndPoint(IPAddress.Loopback, clientPort);
        Track(Task.Run(async () =>
        {
            var datagrams = 0;
            byte[]? late = null;
            try
            {
                while (true)
                {
                    var datagram = await socket.ReceiveAsync(ct);
                    if (lossy && ++datagrams == _packet)
                    {
                        late = _swap ? datagram.Buffer : null;
                        Damaged = true;
                        continue;
                    }
                    await socket.SendAsync(datagram.Buffer, client, ct);
                    if (late is not null)
                    {
                        await socket.SendAsync(late, client, ct);
                        late = null;
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }, ct));
        return ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
    }

    protected override void Stopping()
    {
        lock (_relays)
        {
            _relays.ForEach(r => r.Dispose());
        }
    }
}
