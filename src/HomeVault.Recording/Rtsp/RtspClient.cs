using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using HomeVault.Recording.Configuration;

namespace HomeVault.Recording.Rtsp;

/// <summary>
/// One RTSP 1.0 connection over TCP, or over TLS for rtsps:// (RFC 2326), RTP and RTCP interleaved on it (10.12). Reads go into one large
/// buffer: a read takes whatever the kernel holds, many packets at a time, and the socket's low-water mark lets it
/// sleep until a batch has arrived, so a camera costs a few reads a second, not one per packet.
/// Blocking: used from the camera's own thread. <see cref="Abort"/> may be called from any thread.
/// </summary>
internal sealed class RtspClient : IDisposable
{
    private const int BufferBytes = 256 << 10;
    private const int MaxMessageBytes = 64 << 10;

    /// <summary>What a streaming read waits for before it wakes (unless a tick passes first).</summary>
    private const int LowWaterBytes = 32 << 10;

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly RtspAuthenticator? _auth;
    private readonly TimeSpan _ioTimeout;
    private byte[] _buffer = new byte[BufferBytes];
    private int _start;
    private int _end;
    private int _cseq;
    private volatile bool _aborted;

    private RtspClient(Socket socket, Stream stream, CameraCredentials? credentials, TimeSpan ioTimeout)
    {
        _socket = socket;
        _stream = stream;
        _auth = credentials is null ? null : new RtspAuthenticator(credentials);
        _ioTimeout = ioTimeout;
    }

    /// <summary>The Session id once SETUP answered, and the keep-alive period (half the session timeout).</summary>
    public string? Session { get; private set; }

    public TimeSpan KeepAlive { get; private set; } = TimeSpan.FromSeconds(30);

    public bool Aborted => _aborted;

    /// <summary>The addresses of the connection's two ends: where RTP over UDP is received, and whence it must come.</summary>
    public (IPAddress Local, IPAddress Camera) Addresses =>
        (((IPEndPoint)_socket.LocalEndPoint!).Address, ((IPEndPoint)_socket.RemoteEndPoint!).Address);

    /// <summary>Called on every quiet tick and between batches while streaming; the place for keep-alive and stop checks.</summary>
    public Action? OnTick { get; set; }

    /// <summary>Connects to an rtsp:// URL, or an rtsps:// one over TLS (<see cref="RtspTls"/>, <paramref name="pin"/> the pinned certificate's SHA-256).</summary>
    public static RtspClient Connect(Uri url, CameraCredentials? credentials, TimeSpan ioTimeout, byte[]? pin = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        var tls = url.Scheme == "rtsps";
        var port = url.Port > 0 ? url.Port : tls ? RtspTls.DefaultPort : 554;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 1 << 20 };
        try
        {
            var connect = socket.ConnectAsync(url.Host, port);
            if (!connect.Wait(ioTimeout))
            {
                throw new TimeoutException($"connection to {url.Host}:{port} timed out");
            }
            socket.ReceiveTimeout = (int)ioTimeout.TotalMilliseconds;
            socket.SendTimeout = (int)ioTimeout.TotalMilliseconds;
            Stream stream = tls ? RtspTls.Connect(socket, url.Host, pin) : new NetworkStream(socket, ownsSocket: false);
            return new RtspClient(socket, stream, credentials, ioTimeout);
        }
        catch (AggregateException e) when (e.InnerException is SocketException s)
        {
            socket.Dispose();
            throw new IOException($"cannot connect to {url.Host}:{url.Port}: {s.Message}", s);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends a request and returns its response, answering one 401 with the credentials; interleaved frames met on the way are dropped.</summary>
    public RtspResponse Request(string method, string url, params (string Name, string Value)[] headers)
    {
        var response = Exchange(method, url, headers);
        if (response.Status == 401 && _auth is not null && !_auth.HasChallenge && _auth.Challenge(response.All("WWW-Authenticate")))
        {
            response = Exchange(method, url, headers);
        }
        if (response.Status == 401)
        {
            throw new IOException(_auth is null ? $"{method}: 401 Unauthorized (the camera needs credentials)" : $"{method}: 401 Unauthorized (credentials refused)");
        }
        if (response.Header("Session") is { } session)
        {
            var parts = session.Split(';', StringSplitOptions.TrimEntries);
            Session = parts[0];
            foreach (var p in parts.Skip(1))
            {
                if (p.StartsWith("timeout=", StringComparison.OrdinalIgnoreCase) && int.TryParse(p[8..], CultureInfo.InvariantCulture, out var seconds) && seconds > 1)
                {
                    KeepAlive = TimeSpan.FromSeconds(seconds / 2.0);
                }
            }
        }
        return response;
    }

    /// <summary>Sends a request without waiting for its answer (keep-alive while streaming, TEARDOWN): the answer is skipped among the frames.</summary>
    public void Send(string method, string url, params (string Name, string Value)[] headers)
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{method} {url} RTSP/1.0\r\nCSeq: {++_cseq}\r\nUser-Agent: HomeVault\r\n");
        if (_auth?.Authorization(method, url) is { } authorization)
        {
            text.Append(CultureInfo.InvariantCulture, $"Authorization: {authorization}\r\n");
        }
        if (Session is { } session)
        {
            text.Append(CultureInfo.InvariantCulture, $"Session: {session}\r\n");
        }
        foreach (var (name, value) in headers)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }
        text.Append("\r\n");
        _stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>From PLAY on: wake on a batch of bytes or a tick, whichever comes first.</summary>
    public void BeginStreaming()
    {
        _socket.ReceiveTimeout = (int)Tick.TotalMilliseconds;
        try
        {
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveLowWater, LowWaterBytes);
        }
        catch (SocketException)
        {
            // Without a low-water mark each read returns sooner; nothing else changes.
        }
    }

    /// <summary>The next interleaved frame (channel, payload); RTSP messages between frames (answers to keep-alives, server requests) are skipped.</summary>
    public ReadOnlySpan<byte> NextFrame(out int channel)
    {
        while (true)
        {
            Ensure(1);
            if (_buffer[_start] == (byte)'$')
            {
                Ensure(4);
                channel = _buffer[_start + 1];
                var length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_start + 2));
                Ensure(4 + length);
                var frame = _buffer.AsSpan(_start + 4, length);
                _start += 4 + length;
                return frame;
            }
            ReadMessage();
        }
    }

    /// <summary>Ends the connection now; a read blocked on it returns. Safe from any thread.</summary>
    public void Abort()
    {
        _aborted = true;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
    }

    private RtspResponse Exchange(string method, string url, (string Name, string Value)[] headers)
    {
        Send(method, url, headers);
        var cseq = _cseq.ToString(CultureInfo.InvariantCulture);
        while (true)
        {
            Ensure(1);
            if (_buffer[_start] == (byte)'$')
            {
                NextFrame(out _);
                continue;
            }
            if (ReadMessage() is { } response && (response.Header("CSeq") is null || response.Header("CSeq") == cseq))
            {
                return response;
            }
        }
    }

    /// <summary>One RTSP message from the buffer: a response is returned, a request from the server is skipped (null).</summary>
    private RtspResponse? ReadMessage()
    {
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (_end - _start > MaxMessageBytes)
            {
                throw new InvalidDataException("RTSP message header too long, or not RTSP");
            }
            Ensure(_end - _start + 1);
        }
        var head = Encoding.UTF8.GetString(_buffer, _start, headerEnd);
        var lines = head.Split("\r\n");
        var headers = new List<(string, string)>();
        var contentLength = 0;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }
            var (name, value) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
            headers.Add((name, value));
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && (!int.TryParse(value, CultureInfo.InvariantCulture, out contentLength) || contentLength is < 0 or > MaxMessageBytes))
            {
                throw new InvalidDataException("RTSP message with a bad Content-Length");
            }
        }
        var total = headerEnd + 4 + contentLength;
        Ensure(total);
        var body = Encoding.UTF8.GetString(_buffer, _start + headerEnd + 4, contentLength);
        _start += total;
        var status = lines[0].Split(' ', 3);
        if (!lines[0].StartsWith("RTSP/", StringComparison.Ordinal))
        {
            if (status.Length == 3 && status[2].StartsWith("RTSP/", StringComparison.Ordinal))
            {
                return null; // a request from the server (SET_PARAMETER, ANNOUNCE): nothing we need to act on
            }
            throw new InvalidDataException("the camera sent something that is neither RTSP nor interleaved RTP");
        }
        if (status.Length < 2 || !int.TryParse(status[1], CultureInfo.InvariantCulture, out var code))
        {
            throw new InvalidDataException($"malformed RTSP status line '{lines[0]}'");
        }
        return new RtspResponse(code, status.Length > 2 ? status[2] : "", headers, body);
    }

    /// <summary>Makes at least <paramref name="count"/> unread bytes available, reading as much as the socket has.</summary>
    private void Ensure(int count)
    {
        if (_end - _start >= count)
        {
            return;
        }
        if (_start + count > _buffer.Length)
        {
            var unread = _end - _start;
            if (count > _buffer.Length)
            {
                Array.Resize(ref _buffer, count + BufferBytes);
            }
            _buffer.AsSpan(_start, unread).CopyTo(_buffer);
            (_start, _end) = (0, unread);
        }
        var quiet = TimeSpan.Zero;
        while (_end - _start < count)
        {
            int n;
            try
            {
                n = _stream.Read(_buffer.AsSpan(_end));
            }
            catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock } && !_aborted && OnTick is not null)
            {
                quiet += Tick;
                if (quiet >= _ioTimeout)
                {
                    throw new IOException($"no data from the camera for {_ioTimeout.TotalSeconds:0} s", e);
                }
                OnTick();
                continue;
            }
            catch (IOException e) when (!_aborted && e.InnerException is SocketException s)
            {
                throw new IOException(s.SocketErrorCode == SocketError.TimedOut ? "the camera did not answer in time" : s.Message, e);
            }
            catch (Exception e) when (_aborted && e is IOException or ObjectDisposedException)
            {
                throw new EndOfStreamException("stopped", e);
            }
            if (n == 0)
            {
                throw new EndOfStreamException(_aborted ? "stopped" : "the camera closed the connection");
            }
            _end += n;
            quiet = TimeSpan.Zero;
        }
        OnTick?.Invoke();
    }
}
