using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace HomeVault.Recording.Rtsp;

/// <summary>
/// One RTP stream over UDP (RFC 3550 11, RFC 2326 12.39 <c>client_port</c>): a socket on an even port for RTP and
/// one on the port above it for RTCP, both bound to the address the RTSP connection leaves from. Only datagrams
/// from the camera's address count; anything else on those ports is ignored. The receiver side of RTCP is minimal:
/// the camera's packets are handed up (for its BYE and sender reports), none are sent; the session stays alive by RTSP keep-alives.
/// Packets slightly out of order are put back in sequence (<see cref="RtpReorder"/>); a lost one leaves a sequence
/// gap, which ends the run above.
/// Blocking: used from the camera's own thread. <see cref="Abort"/> may be called from any thread.
/// </summary>
internal sealed class RtpOverUdp : IDisposable
{
    /// <summary>A kernel queue that holds a few seconds of a busy camera while the thread is away (sealing, fsync).</summary>
    private const int ReceiveBufferBytes = 4 << 20;

    /// <summary>How many RTP datagrams are read between looks at the RTCP socket (one look costs a system call).</summary>
    private const int RtcpEvery = 64;

    private const int PortAttempts = 32;

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);

    private readonly Socket _rtp;
    private readonly Socket _rtcp;
    private readonly TimeSpan _ioTimeout;
    private readonly byte[] _buffer = new byte[64 << 10];
    private readonly SocketAddress _from;
    private readonly byte[] _camera;
    private readonly RtpReorder _order = new();
    private int _sinceRtcp;
    private volatile bool _aborted;

    private RtpOverUdp(Socket rtp, Socket rtcp, IPAddress camera, TimeSpan ioTimeout)
    {
        (_rtp, _rtcp, _ioTimeout) = (rtp, rtcp, ioTimeout);
        _from = new SocketAddress(rtp.AddressFamily);
        _camera = camera.GetAddressBytes();
    }

    /// <summary>The <c>client_port</c> pair for SETUP's Transport header.</summary>
    public string ClientPorts
    {
        get
        {
            var port = ((IPEndPoint)_rtp.LocalEndPoint!).Port;
            return string.Create(CultureInfo.InvariantCulture, $"{port}-{port + 1}");
        }
    }

    /// <summary>Called between datagrams and on every quiet tick: the place for keep-alive and stop checks.</summary>
    public Action? OnTick { get; set; }

    /// <summary>Binds an even port and the odd one above it on <paramref name="local"/>, for datagrams from <paramref name="camera"/>.</summary>
    public static RtpOverUdp Bind(IPAddress local, IPAddress camera, TimeSpan ioTimeout)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(camera);
        local = local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local;
        camera = camera.IsIPv4MappedToIPv6 ? camera.MapToIPv4() : camera;
        for (var attempt = 0; attempt < PortAttempts; attempt++)
        {
            var rtp = Open(local, 0);
            var port = ((IPEndPoint)rtp.LocalEndPoint!).Port;
            if (port % 2 == 0 && port < IPEndPoint.MaxPort)
            {
                try
                {
                    return new RtpOverUdp(rtp, Open(local, port + 1), camera, ioTimeout);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
                {
                    // Someone holds the odd port: try another pair.
                }
            }
            rtp.Dispose();
        }
        throw new IOException($"no free pair of UDP ports for RTP on {local} after {PortAttempts} tries");
    }

    private static Socket Open(IPAddress local, int port)
    {
        var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.ReceiveBufferSize = ReceiveBufferBytes;
            socket.ReceiveTimeout = (int)Tick.TotalMilliseconds;
            socket.Bind(new IPEndPoint(local, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The next datagram from the camera: channel 0 for RTP, 1 for RTCP (as if interleaved=0-1).</summary>
    public ReadOnlySpan<byte> NextFrame(out int channel)
    {
        var quiet = TimeSpan.Zero;
        while (true)
        {
            if (_order.TryTakeNext(out var held) || (quiet > TimeSpan.Zero && _order.TryTakeEarliest(out held)))
            {
                channel = 0;
                return held;
            }
            if (++_sinceRtcp >= RtcpEvery || quiet > TimeSpan.Zero)
            {
                _sinceRtcp = 0;
                if (_rtcp.Available > 0 && Receive(_rtcp) is var rtcp and > 0)
                {
                    channel = 1;
                    return _buffer.AsSpan(0, rtcp);
                }
            }
            var n = Receive(_rtp);
            if (n < 0)
            {
                quiet += Tick;
                if (quiet >= _ioTimeout)
                {
                    throw new IOException($"no data from the camera for {_ioTimeout.TotalSeconds:0} s");
                }
                OnTick?.Invoke();
                continue;
            }
            OnTick?.Invoke();
            if (n > 0)
            {
                quiet = TimeSpan.Zero;
            }
            if (n > 0 && _order.Arrived(_buffer.AsSpan(0, n)) == RtpReorder.Verdict.Deliver)
            {
                channel = 0;
                return _buffer.AsSpan(0, n);
            }
        }
    }

    /// <summary>A datagram's length (0 when it is not from the camera), or -1 when a tick passed without one.</summary>
    private int Receive(Socket socket)
    {
        int n;
        try
        {
            n = socket.ReceiveFrom(_buffer, SocketFlags.None, _from);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock && !_aborted)
        {
            return -1;
        }
        catch (SocketException e) when (!_aborted)
        {
            throw new IOException(e.Message, e);
        }
        catch (Exception e) when (_aborted && e is SocketException or ObjectDisposedException)
        {
            throw new EndOfStreamException("stopped", e);
        }
        if (_aborted)
        {
            throw new EndOfStreamException("stopped");
        }
        return FromCamera() ? n : 0;
    }

    /// <summary>Whether the sender's address (sockaddr_in: bytes 4-7; sockaddr_in6: bytes 8-23) is the camera's.</summary>
    private bool FromCamera()
    {
        var address = _from.Buffer.Span;
        var offset = _from.Family == AddressFamily.InterNetwork ? 4 : 8;
        return address.Length >= offset + _camera.Length && address.Slice(offset, _camera.Length).SequenceEqual(_camera);
    }

    /// <summary>Ends the stream: a read returns within a tick. Safe from any thread.</summary>
    public void Abort()
    {
        _aborted = true;
    }

    public void Dispose()
    {
        _rtp.Dispose();
        _rtcp.Dispose();
    }
}
