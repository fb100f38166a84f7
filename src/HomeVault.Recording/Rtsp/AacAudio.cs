using System.Globalization;
using HomeVault.Recording.Fmp4;

namespace HomeVault.Recording.Rtsp;

/// <summary>
/// A camera's AAC stream in a native run: set up on interleaved channels 2-3 after the video, tied to the video's clock
/// by the PLAY response's RTP-Info, depacketised into an <see cref="AudioQueue"/> that each fragment takes from. A lost
/// audio packet drops that audio only (see <see cref="AacDepacketizer"/>): the video, the evidence, is whole without it,
/// and ending the run over it would lose the group of pictures in progress too.
/// </summary>
internal sealed class AacAudio
{
    public const int Channel = 2;

    private readonly SdpMedia _media;
    private readonly RtpSequence _sequence = new();
    private AacDepacketizer? _depacketizer;

    private AacAudio(SdpMedia media)
    {
        _media = media;
        Track = new AacTrack(AacDepacketizer.Config(media), (uint)media.ClockRate);
    }

    public AacTrack Track { get; }

    /// <summary>Set once PLAY has answered.</summary>
    public AudioQueue? Queue { get; private set; }

    /// <summary>The AAC stream of <paramref name="sdp"/> to record, null when there is none; other audio is not recorded natively.</summary>
    public static AacAudio? For(Sdp sdp)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        if (sdp.Media.FirstOrDefault(m => m.Type == "audio") is not { } audio)
        {
            return null;
        }
        return AacDepacketizer.Handles(audio)
            ? new AacAudio(audio)
            : throw new NativeIngestUnsupportedException($"audio ({audio.Encoding}) is recorded through ffmpeg");
    }

    public string Control(string baseUrl) => Sdp.Resolve(baseUrl, _media.Control);

    /// <summary>
    /// From PLAY's RTP-Info (RFC 2326 12.33), the video's RTP time at the instant the audio's is given for; without
    /// both the audio could not be placed against the video, and the camera is left to ffmpeg.
    /// </summary>
    public uint Start(string? rtpInfo, SdpMedia video)
    {
        ArgumentNullException.ThrowIfNull(video);
        var videoTime = RtpTime(rtpInfo, video.Control);
        var audioTime = RtpTime(rtpInfo, _media.Control);
        if (videoTime is not { } v || audioTime is not { } a)
        {
            throw new NativeIngestUnsupportedException("audio without RTP-Info times in PLAY's answer to align it with the video");
        }
        var frame = _media.Parameter("constantduration") is { } d && uint.TryParse(d, CultureInfo.InvariantCulture, out var fixedDuration) ? fixedDuration : 1024u;
        Queue = new AudioQueue(a, _media.ClockRate, frame);
        _depacketizer = new AacDepacketizer(_media, Queue);
        return v;
    }

    public void OnRtp(ReadOnlySpan<byte> frame)
    {
        var packet = new RtpPacket(frame);
        if (packet.PayloadType != _media.PayloadType || _depacketizer is null)
        {
            return;
        }
        if (_sequence.Missing(packet.Sequence) > 0)
        {
            _depacketizer.Lost();
        }
        _depacketizer.Push(packet.Payload, _sequence.Extend(packet.Timestamp), packet.Marker);
    }

    private static uint? RtpTime(string? rtpInfo, string? control)
    {
        foreach (var stream in (rtpInfo ?? "").Split(','))
        {
            var fields = stream.Split(';', StringSplitOptions.TrimEntries);
            var url = fields.FirstOrDefault(f => f.StartsWith("url=", StringComparison.OrdinalIgnoreCase))?[4..];
            var time = fields.FirstOrDefault(f => f.StartsWith("rtptime=", StringComparison.OrdinalIgnoreCase))?[8..];
            if (url is not null && time is not null && (control is null or "*" || url.EndsWith(control, StringComparison.Ordinal))
                && uint.TryParse(time, CultureInfo.InvariantCulture, out var t))
            {
                return t;
            }
        }
        return null;
    }
}
