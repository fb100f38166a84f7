using System.Globalization;
using HomeVault.Recording.Cameras;
using HomeVault.Recording.Configuration;
using HomeVault.Recording.Fmp4;

namespace HomeVault.Recording.Rtsp;

/// <summary>
/// A camera recorded without ffmpeg: RTSP over TCP, RTP interleaved on it or over UDP (<see cref="RtpOverUdp"/>), the
/// video track's RTP depacketised into whole groups of pictures, with the audio that goes with each (AAC over TCP,
/// <see cref="AacAudio"/>), and written as fragmented MP4, which <see cref="StandardOutput"/> hands to the same
/// <see cref="Fmp4Reader"/> that reads ffmpeg's. Everything happens inside that stream's reads, on the camera's
/// own thread: connecting (OPTIONS, DESCRIBE, SETUP, PLAY), reading, keep-alive. A lost packet ends the run
/// before the group it damaged is written (the supervisor records the gap and reconnects); a stream this does not
/// handle ends it with <see cref="Unsupported"/> set, for <c>auto</c> to hand the camera to ffmpeg.
/// </summary>
internal sealed class NativeIngest : Stream, IIngestSource
{
    private readonly Uri _url;
    private readonly CameraCredentials? _credentials;
    private readonly AudioMode _audio;
    private readonly TransportMode _transport;
    private readonly TimeSpan _ioTimeout;
    private readonly Fmp4Writer _writer = new();
    private readonly RtpSequence _sequence = new();
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RtspClient? _client;
    private RtpOverUdp? _udp;
    private NalDepacketizer? _video;
    private SdpMedia? _media;
    private AacAudio? _aac;
    private uint _videoAnchor;
    private int _rtpChannel;
    private string _keepAliveMethod = "OPTIONS";
    private long _lastKeepAlive;
    private long? _origin;
    private bool _initWritten;
    private readonly List<ReadOnlyMemory<byte>> _output = [];
    private int _outputIndex;
    private int _readOffset;
    private bool _ended;
    private volatile bool _stopRequested;
    private volatile bool _killed;
    private CancellationTokenSource? _killTimer;

    public NativeIngest(string url, CameraCredentials? credentials, AudioMode audio, TransportMode transport, TimeSpan ioTimeout)
    {
        _url = new Uri(url);
        _credentials = credentials;
        _audio = audio;
        _transport = transport;
        _ioTimeout = ioTimeout;
    }

    /// <summary>Why the stream is not one this records (then <c>auto</c> uses ffmpeg), once known.</summary>
    public string? Unsupported { get; private set; }

    /// <summary>Once connected over UDP: "udp", and why when <c>auto</c> chose it (for <c>cameras status</c>).</summary>
    public string? Transport { get; private set; }

    /// <summary>Why the run ended, when not by a stop.</summary>
    public string? Failure { get; private set; }

    public string Name => "native";

    public int Id => Environment.ProcessId;

    public Stream StandardOutput => this;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Hands out the boxes written (from the writer) and the groups' media data (from the depacketiser's buffer) in order.</summary>
    public override int Read(Span<byte> buffer)
    {
        while (_outputIndex < _output.Count && _readOffset == _output[_outputIndex].Length)
        {
            (_outputIndex, _readOffset) = (_outputIndex + 1, 0);
        }
        if (_outputIndex == _output.Count)
        {
            // All read: only now may the writer and the depacketiser reuse their buffers.
            _output.Clear();
            _outputIndex = 0;
            _writer.Take();
            if (_ended)
            {
                return 0;
            }
            Pump();
            return Read(buffer);
        }
        var n = Math.Min(buffer.Length, _output[_outputIndex].Length - _readOffset);
        _output[_outputIndex].Span.Slice(_readOffset, n).CopyTo(buffer);
        _readOffset += n;
        return n;
    }

    /// <summary>Reads the camera until a fragment is written or the run ends.</summary>
    private void Pump()
    {
        try
        {
            _client ??= Open();
            if (_killed)
            {
                _client.Abort();
                _udp?.Abort();
            }
            while (_output.Count == 0)
            {
                if (_stopRequested)
                {
                    throw new OperationCanceledException();
                }
                var frame = _udp is null ? _client.NextFrame(out var channel) : _udp.NextFrame(out channel);
                if (channel == _rtpChannel)
                {
                    OnRtp(frame);
                }
                else if (channel == AacAudio.Channel && _aac is not null)
                {
                    _aac.OnRtp(frame);
                }
                else if (channel == _rtpChannel + 1 && IsBye(frame))
                {
                    throw new OperationCanceledException(); // the camera ended the stream: as at a stop, the whole frames are kept
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped, or the camera said goodbye: what is complete is written, the rest was never whole.
            _video?.Flush();
            End(0, null);
            TryTeardown();
        }
        catch (NativeIngestUnsupportedException e)
        {
            Unsupported = e.Message;
            End(1, $"native ingest: {e.Message}");
        }
        catch (EndOfStreamException e) when (_client?.Aborted == true)
        {
            End(-1, e.Message);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or TimeoutException or System.Net.Sockets.SocketException)
        {
            End(1, $"rtsp: {e.Message}");
        }
    }

    private void End(int code, string? failure)
    {
        _ended = true;
        Failure = failure;
        _exit.TrySetResult(code);
    }

    private RtspClient Open()
    {
        if (_url.Scheme != "rtsp")
        {
            throw new NativeIngestUnsupportedException($"{_url.Scheme}:// (only rtsp:// over TCP)");
        }
        var client = RtspClient.Connect(_url, _credentials, _ioTimeout);
        try
        {
            var url = _url.GetComponents(UriComponents.HttpRequestUrl & ~UriComponents.UserInfo, UriFormat.UriEscaped);
            var options = client.Request("OPTIONS", url);
            if (options.Header("Public")?.Contains("GET_PARAMETER", StringComparison.OrdinalIgnoreCase) == true)
            {
                _keepAliveMethod = "GET_PARAMETER";
            }
            var describe = Expect(client.Request("DESCRIBE", url, ("Accept", "application/sdp")), "DESCRIBE");
            var sdp = Sdp.Parse(describe.Body);
            var baseUrl = Sdp.Resolve(describe.Header("Content-Base") ?? describe.Header("Content-Location") ?? url, sdp.Control);
            _media = Choose(sdp);
            _aac = _audio == AudioMode.Drop ? null : AacAudio.For(sdp);
            var setup = Expect(Setup(client, Sdp.Resolve(baseUrl, _media.Control)), "SETUP");
            _rtpChannel = _udp is null ? Interleaved(setup.Header("Transport")) : 0;
            if (_aac is not null)
            {
                if (_udp is not null)
                {
                    // One UDP port pair carries the video only; a camera with audio to keep over UDP stays with ffmpeg.
                    throw new NativeIngestUnsupportedException("AAC audio over UDP");
                }
                Expect(client.Request("SETUP", _aac.Control(baseUrl),
                    ("Transport", $"RTP/AVP/TCP;unicast;interleaved={AacAudio.Channel}-{AacAudio.Channel + 1}")), "SETUP");
            }
            _video = NewDepacketizer(_media);
            var play = Expect(client.Request("PLAY", baseUrl, ("Range", "npt=0.000-")), "PLAY");
            _videoAnchor = _aac?.Start(play.Header("RTP-Info"), _media) ?? 0;
            _lastKeepAlive = Environment.TickCount64;
            if (_udp is null)
            {
                client.OnTick = () => OnTick(client, baseUrl);
                client.BeginStreaming();
            }
            else
            {
                _udp.OnTick = () => OnTick(client, baseUrl);
            }
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>SETUP of the video track over the configured transport; <c>auto</c> takes UDP when TCP is refused with 461.</summary>
    private RtspResponse Setup(RtspClient client, string control)
    {
        if (_transport != TransportMode.Udp)
        {
            var tcp = client.Request("SETUP", control, ("Transport", "RTP/AVP/TCP;unicast;interleaved=0-1"));
            if (tcp.Status != 461)
            {
                return tcp;
            }
            if (_transport == TransportMode.Tcp)
            {
                throw new IOException("the camera refuses RTP over TCP (461 Unsupported Transport): set its Transport to udp or auto");
            }
        }
        var (local, camera) = client.Addresses;
        _udp = RtpOverUdp.Bind(local, camera, _ioTimeout);
        Transport = _transport == TransportMode.Auto ? "udp: the camera refuses RTP over TCP" : "udp";
        return client.Request("SETUP", control, ("Transport", $"RTP/AVP;unicast;client_port={_udp.ClientPorts}"));
    }

    private static SdpMedia Choose(Sdp sdp)
    {
        var video = sdp.Media.FirstOrDefault(m => m.Type == "video") ?? throw new NativeIngestUnsupportedException("no video stream");
        if (video.Encoding is not ("H264" or "H265"))
        {
            throw new NativeIngestUnsupportedException($"video codec {video.Encoding} (only H.264 and H.265)");
        }
        return video;
    }

    private NalDepacketizer NewDepacketizer(SdpMedia media)
    {
        if (media.Encoding == "H264")
        {
            var sets = media.Parameter("sprop-parameter-sets")?.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Convert.FromBase64String).ToList() ?? [];
            return new NalDepacketizer(false, OnGop, null, sets.FirstOrDefault(s => (s[0] & 0x1F) == 7), sets.FirstOrDefault(s => (s[0] & 0x1F) == 8));
        }
        if (media.Parameter("sprop-max-don-diff") is { } don && don != "0")
        {
            throw new NativeIngestUnsupportedException("H.265 with decoding order numbers (sprop-max-don-diff)");
        }
        return new NalDepacketizer(true, OnGop, Base64(media.Parameter("sprop-vps")), Base64(media.Parameter("sprop-sps")), Base64(media.Parameter("sprop-pps")));
    }

    private static byte[]? Base64(string? value) => value is null ? null : Convert.FromBase64String(value.Split(',')[0]);

    private void OnRtp(ReadOnlySpan<byte> frame)
    {
        var packet = new RtpPacket(frame);
        if (packet.PayloadType != _media!.PayloadType)
        {
            return;
        }
        var missing = _sequence.Missing(packet.Sequence);
        if (missing > 0)
        {
            throw new IOException(string.Create(CultureInfo.InvariantCulture,
                $"{missing} RTP packet(s) lost before sequence {packet.Sequence}; the group of pictures in progress was dropped"));
        }
        _video!.Push(packet.Payload, _sequence.Extend(packet.Timestamp), packet.Marker);
        if (_video.ParameterSetsChanged)
        {
            throw new IOException("the camera changed its parameter sets; reconnecting for a new init segment");
        }
    }

    private void OnGop(long firstTimestamp, IReadOnlyList<VideoSample> samples, ReadOnlyMemory<byte> mdat)
    {
        var start = _writer.Written.Length;
        if (!_initWritten)
        {
            var v = _video!;
            var config = v.Sps is null || v.Pps is null || (_media!.Encoding == "H265" && v.Vps is null)
                ? throw new InvalidDataException("no parameter sets (SPS/PPS) in the SDP or before the first keyframe")
                : _media!.Encoding == "H264" ? VideoConfig.H264(v.Sps, v.Pps) : VideoConfig.H265(v.Vps!, v.Sps, v.Pps);
            _writer.WriteInit(config.SampleEntry, config.ConfigBox, config.Record, config.Width, config.Height, (uint)_media.ClockRate, _aac?.Track);
            _initWritten = true;
        }
        if (_origin is null)
        {
            _origin = firstTimestamp;
            _aac?.Queue!.Start(unchecked((int)((uint)firstTimestamp - _videoAnchor)), _media!.ClockRate);
        }
        var from = firstTimestamp - _origin.Value;
        var audio = _aac?.Queue!.Take(from + samples.Sum(s => (long)s.Duration), _media!.ClockRate);
        _writer.WriteFragment((ulong)from, samples, mdat.Length, audio);
        _output.Add(_writer.Written[start..]);
        _output.Add(mdat);
        if (audio is { } a)
        {
            _output.Add(a.Data);
        }
    }

    private void OnTick(RtspClient client, string baseUrl)
    {
        if (_stopRequested)
        {
            throw new OperationCanceledException();
        }
        if (Environment.TickCount64 - _lastKeepAlive >= client.KeepAlive.TotalMilliseconds)
        {
            _lastKeepAlive = Environment.TickCount64;
            if (_udp is null)
            {
                client.Send(_keepAliveMethod, baseUrl); // its answer is skipped among the frames
            }
            else
            {
                client.Request(_keepAliveMethod, baseUrl); // nothing else reads the connection: read the answer now
            }
        }
    }

    private void TryTeardown()
    {
        try
        {
            _client?.Send("TEARDOWN", _url.GetComponents(UriComponents.HttpRequestUrl & ~UriComponents.UserInfo, UriFormat.UriEscaped));
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException or IOException)
        {
            // The session ends with the connection anyway.
        }
    }

    /// <summary>Whether a compound RTCP packet (RFC 3550 6.1) holds a BYE (6.6).</summary>
    private static bool IsBye(ReadOnlySpan<byte> rtcp)
    {
        while (rtcp.Length >= 4 && rtcp[0] >> 6 == 2)
        {
            if (rtcp[1] == 203)
            {
                return true;
            }
            var length = 4 * (((rtcp[2] << 8) | rtcp[3]) + 1);
            rtcp = rtcp[Math.Min(length, rtcp.Length)..];
        }
        return false;
    }

    private static RtspResponse Expect(RtspResponse response, string method) =>
        response.Status == 200 ? response : throw new IOException($"method {method} failed: {response.Status} {response.Reason}");

    private static int Interleaved(string? transport)
    {
        foreach (var part in (transport ?? "").Split(';'))
        {
            if (part.StartsWith("interleaved=", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(part[12..].Split('-')[0], CultureInfo.InvariantCulture, out var channel))
            {
                return channel;
            }
        }
        return 0;
    }

    /// <summary>Ends the run at the next packet or tick, with the groups complete so far written; killed after <paramref name="grace"/>.</summary>
    public void RequestStop(TimeSpan grace)
    {
        if (_stopRequested)
        {
            return;
        }
        _stopRequested = true;
        var timer = new CancellationTokenSource(grace);
        timer.Token.Register(Kill);
        Volatile.Write(ref _killTimer, timer);
    }

    /// <summary>The reader has stopped reading: the connection goes now.</summary>
    public Task StopAsync(TimeSpan grace)
    {
        _stopRequested = true;
        Kill();
        return Task.CompletedTask;
    }

    public void Kill()
    {
        _killed = true;
        _client?.Abort();
        _udp?.Abort();
        _exit.TrySetResult(-1);
    }

    public Task<int> WaitForExitAsync(CancellationToken ct) => _exit.Task.WaitAsync(ct);

    public string DescribeEnd(int exitCode) => Failure ?? (exitCode == 0 ? "eof" : "stopped");

    public override async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _killTimer, null)?.Dispose();
        Kill();
        _client?.Dispose();
        _udp?.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
