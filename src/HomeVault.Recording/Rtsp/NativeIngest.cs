using System.Globalization;
using HomeVault.Recording.Cameras;
using HomeVault.Recording.Configuration;
using HomeVault.Recording.Fmp4;

namespace HomeVault.Recording.Rtsp;

/// <summary>
/// A camera recorded without ffmpeg: RTSP over TCP, RTP interleaved on it or over UDP (<see cref="RtpOverUdp"/>), the
/// video track's RTP depacketised into fragments of up to half a second (<see cref="NalDepacketizer"/>: a keyframe always
/// starts one), with the audio that goes with each (AAC over TCP, <see cref="AacAudio"/>), each handed to the run as an
/// <see cref="Fmp4Fragment"/> whose moof the <see cref="Fmp4Writer"/> writes into the depacketiser's buffer right before
/// the fragment's media data: one copy of each fragment in memory (audio, when there is some, is joined after it in a
/// buffer of this ingest's), no byte stream to parse back. Everything happens inside the run's reads, on the camera's own thread: connecting (OPTIONS, DESCRIBE,
/// SETUP, PLAY), reading, keep-alive. A lost packet ends the run before the fragment it damaged is handed over (the
/// supervisor records the gap and reconnects); a stream this does not handle ends it with <see cref="Unsupported"/>
/// set, for <c>auto</c> to hand the camera to ffmpeg.
/// </summary>
internal sealed class NativeIngest : IIngestSource
{
    private readonly Uri _url;
    private readonly CameraCredentials? _credentials;
    private readonly AudioMode _audio;
    private readonly TransportMode _transport;
    private readonly TimeSpan _ioTimeout;
    private readonly byte[]? _tlsPin;
    private readonly Fmp4Writer _writer = new();
    private readonly RtpSequence _sequence = new();
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<Fmp4Fragment> _fragments = new();
    private byte[] _joined = [];
    private RtspClient? _client;
    private RtpOverUdp? _udp;
    private NalDepacketizer? _video;
    private SdpMedia? _media;
    private AacAudio? _aac;
    private uint _videoAnchor;
    private InitSegment? _init;
    private int _rtpChannel;
    private string _keepAliveMethod = "OPTIONS";
    private long _lastKeepAlive;
    private long? _origin;
    private uint? _videoSsrc;
    private (DateTimeOffset Ntp, long Rtp)? _report;
    private long _bytesRead;
    private bool _ended;
    private volatile bool _stopRequested;
    private volatile bool _killed;
    private CancellationTokenSource? _killTimer;

    /// <param name="tlsPin">For rtsps://: the SHA-256 of the one certificate to accept; null to check it against the system's trust store.</param>
    public NativeIngest(string url, CameraCredentials? credentials, AudioMode audio, TransportMode transport, TimeSpan ioTimeout, byte[]? tlsPin = null)
    {
        _tlsPin = tlsPin;
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

    /// <summary>Why the camera's TLS certificate was refused, if it was (no use retrying until something changes).</summary>
    public string? Refused { get; private set; }

    /// <summary>Why the run ended, when not by a stop.</summary>
    public string? Failure { get; private set; }

    public string Name => "native";

    public int Id => Environment.ProcessId;

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Reads the camera up to its first fragment (from its first keyframe), which the init segment is made from.</summary>
    public ValueTask<InitSegment?> ReadInitSegmentAsync()
    {
        while (_init is null && !_ended)
        {
            Pump();
        }
        return ValueTask.FromResult(_init);
    }

    /// <summary>The next fragment; the one before it is given up (its buffer is reused from here on).</summary>
    public ValueTask<Fmp4Fragment?> ReadFragmentAsync()
    {
        while (_fragments.Count == 0 && !_ended)
        {
            Pump();
        }
        return ValueTask.FromResult(_fragments.TryDequeue(out var fragment) ? fragment : (Fmp4Fragment?)null);
    }

    /// <summary>Reads the camera until a fragment is handed over or the run ends.</summary>
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
            while (_fragments.Count == 0)
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
                else if (channel == _rtpChannel + 1 && OnRtcp(frame))
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
        catch (RtspTlsException e)
        {
            Refused = e.Message;
            End(1, e.Message);
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
        if (_url.Scheme is not ("rtsp" or "rtsps"))
        {
            throw new NativeIngestUnsupportedException($"{_url.Scheme}:// (only rtsp:// and rtsps://)");
        }
        var client = RtspClient.Connect(_url, _credentials, _ioTimeout, _tlsPin);
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
            return new NalDepacketizer(false, OnFragment, null, sets.FirstOrDefault(s => (s[0] & 0x1F) == 7), sets.FirstOrDefault(s => (s[0] & 0x1F) == 8));
        }
        if (media.Parameter("sprop-max-don-diff") is { } don && don != "0")
        {
            throw new NativeIngestUnsupportedException("H.265 with decoding order numbers (sprop-max-don-diff)");
        }
        return new NalDepacketizer(true, OnFragment, Base64(media.Parameter("sprop-vps")), Base64(media.Parameter("sprop-sps")), Base64(media.Parameter("sprop-pps")));
    }

    private static byte[]? Base64(string? value) => value is null ? null : Convert.FromBase64String(value.Split(',')[0]);

    private void OnRtp(ReadOnlySpan<byte> frame)
    {
        var packet = new RtpPacket(frame);
        if (packet.PayloadType != _media!.PayloadType)
        {
            return;
        }
        _videoSsrc = packet.Ssrc;
        var missing = _sequence.Missing(packet.Sequence);
        if (missing > 0)
        {
            throw new IOException(string.Create(CultureInfo.InvariantCulture,
                $"{missing} RTP packet(s) lost before sequence {packet.Sequence}; the fragment in progress was dropped"));
        }
        _video!.Push(packet.Payload, _sequence.Extend(packet.Timestamp), packet.Marker);
        if (_video.ParameterSetsChanged)
        {
            throw new IOException("the camera changed its parameter sets; reconnecting for a new init segment");
        }
    }

    /// <summary>Keeps the video's latest sender report, placed on the RTP timestamps' line; true when the camera said goodbye.</summary>
    private bool OnRtcp(ReadOnlySpan<byte> frame)
    {
        var rtcp = Rtcp.Read(frame, _videoSsrc);
        if (rtcp.Report is { } report && _sequence.Place(report.RtpTimestamp) is { } at)
        {
            _report = (report.Ntp, at);
        }
        return rtcp.Bye;
    }

    /// <summary>
    /// The camera's own clock at <paramref name="media"/> on this run's timeline (a fragment's start), from its latest
    /// sender report: the report's NTP time plus the RTP time since it; null until a report arrived.
    /// </summary>
    public DateTimeOffset? CameraTime(TimeSpan media) =>
        _report is { } report && _origin is { } origin
            ? report.Ntp + media - TimeSpan.FromSeconds((report.Rtp - origin) / (double)_media!.ClockRate)
            : null;

    private void OnFragment(long firstTimestamp, IReadOnlyList<VideoSample> samples, ReadOnlyMemory<byte> mdat)
    {
        var timescale = (uint)_media!.ClockRate;
        if (_init is null)
        {
            var v = _video!;
            var config = v.Sps is null || v.Pps is null || (_media.Encoding == "H265" && v.Vps is null)
                ? throw new InvalidDataException("no parameter sets (SPS/PPS) in the SDP or before the first keyframe")
                : _media.Encoding == "H264" ? VideoConfig.H264(v.Sps, v.Pps) : VideoConfig.H265(v.Vps!, v.Sps, v.Pps);
            _writer.Take();
            _writer.WriteInit(config.SampleEntry, config.ConfigBox, config.Record, config.Width, config.Height, timescale, _aac?.Track);
            var video = new TrackInfo(Fmp4Writer.TrackId, timescale, "vide", 0);
            _init = new InitSegment(_writer.Written.ToArray(),
                _aac is null ? [video] : [video, new TrackInfo(Fmp4Writer.AudioTrackId, _aac.Track.Timescale, "soun", 0)]);
        }
        if (_origin is null)
        {
            _origin = firstTimestamp;
            _aac?.Queue!.Start(unchecked((int)((uint)firstTimestamp - _videoAnchor)), _media.ClockRate);
        }
        var baseTime = (ulong)(firstTimestamp - _origin.Value);
        var duration = 0UL;
        foreach (var s in samples)
        {
            duration += s.Duration;
        }
        var audio = _aac?.Queue!.Take((long)(baseTime + duration), _media.ClockRate);
        _writer.Take();
        _writer.WriteFragment(baseTime, samples, mdat.Length, audio);
        var bytes = _video!.Prepend(_writer.Written.Span);
        var reference = new TrackTime(Fmp4Writer.TrackId, baseTime, duration, _writer.TfdtValueOffset, Is64Bit: true, StartsWithSync: samples[0].Key);
        IReadOnlyList<TrackTime> tracks = [reference];
        if (audio is { } a)
        {
            bytes = Join(bytes.Span, a.Data.Span);
            var audioDuration = 0UL;
            foreach (var s in a.Samples)
            {
                audioDuration += s.Duration;
            }
            tracks = [reference, new TrackTime(Fmp4Writer.AudioTrackId, a.BaseMediaDecodeTime, audioDuration, _writer.AudioTfdtValueOffset, Is64Bit: true)];
        }
        _fragments.Enqueue(new Fmp4Fragment(bytes, tracks, reference, timescale));
        Interlocked.Add(ref _bytesRead, bytes.Length);
    }

    /// <summary>
    /// The fragment (with its moof) and its audio after it, in this ingest's own buffer, reused by the next fragment with
    /// audio once the run has read this one (a packet that completes two fragments queues both: the second gets a buffer of its own).
    /// </summary>
    private Memory<byte> Join(ReadOnlySpan<byte> video, ReadOnlySpan<byte> audio)
    {
        var length = video.Length + audio.Length;
        if (_joined.Length < length || _fragments.Count > 0)
        {
            _joined = new byte[length + (length / 2)];
        }
        video.CopyTo(_joined);
        audio.CopyTo(_joined.AsSpan(video.Length));
        return _joined.AsMemory(0, length);
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

    /// <summary>Ends the run at the next packet or tick, with the frames complete so far written; killed after <paramref name="grace"/>.</summary>
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

    /// <summary>The failure that ended the run, else "eof" (a stop, the camera's goodbye) or "stopped" (killed).</summary>
    public async Task<string> WaitForEndAsync(CancellationToken ct)
    {
        var code = await _exit.Task.WaitAsync(ct).ConfigureAwait(false);
        return Failure ?? (code == 0 ? "eof" : "stopped");
    }

    public ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _killTimer, null)?.Dispose();
        Kill();
        _client?.Dispose();
        _udp?.Dispose();
        _video?.Dispose();
        return ValueTask.CompletedTask;
    }
}
