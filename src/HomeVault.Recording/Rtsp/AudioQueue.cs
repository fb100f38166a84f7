using HomeVault.Recording.Fmp4;

namespace HomeVault.Recording.Rtsp;

/// <summary>
/// The audio access units received and not yet written, on the video's timeline: the video's first keyframe is time 0
/// on both tracks. The two RTP clocks are tied by the PLAY response's RTP-Info (RFC 2326 12.33), which gives each
/// stream's RTP time at the same instant (the start of the range played); an RTCP sender report would tie them too,
/// but comes only seconds later and the first fragment cannot wait for it. Each fragment takes the audio that begins
/// before the video's end (<see cref="Take"/>); audio that begins before the first keyframe is dropped, so a
/// recording starts with its video. A sample lasts until the next one begins, so audio lost on the way leaves a
/// longer sample before it, never a shift of the audio after it.
/// </summary>
internal sealed class AudioQueue
{
    /// <summary>Far more than a group of pictures' audio: reached only by a stream whose video has stopped.</summary>
    private const int MaxBytes = 8 << 20;

    private readonly List<(long Timestamp, int Offset, int Size)> _units = [];
    private readonly List<AudioSample> _samples = [];
    private readonly uint _anchor;
    private byte[] _data = new byte[1 << 16];
    private int _length;
    private byte[] _taken = new byte[1 << 16];
    private long? _origin;
    private uint? _origin32;
    private long _last;

    /// <param name="anchor">The audio stream's RTP time at the instant the video's RTP-Info time names.</param>
    /// <param name="clockRate">The audio RTP clock, which is also the track's timescale.</param>
    /// <param name="frameDuration">One access unit's duration on that clock (1024 samples for AAC).</param>
    public AudioQueue(uint anchor, int clockRate, uint frameDuration)
    {
        _anchor = anchor;
        ClockRate = clockRate;
        FrameDuration = frameDuration;
    }

    public int ClockRate { get; }

    public uint FrameDuration { get; }

    /// <summary>Sets time 0 from the video's: <paramref name="videoOffset"/> video ticks after the video's RTP-Info time.</summary>
    public void Start(long videoOffset, int videoClockRate) =>
        _origin32 = unchecked(_anchor + (uint)(videoOffset * ClockRate / videoClockRate));

    /// <summary>An access unit at <paramref name="timestamp"/> (extended RTP time); those before time 0 are dropped once it is known.</summary>
    public void Add(long timestamp, ReadOnlySpan<byte> unit)
    {
        _last = timestamp;
        if (_origin is null && _origin32 is { } o)
        {
            _origin = timestamp + unchecked((int)(o - (uint)timestamp));
        }
        if (_origin is { } origin && timestamp < origin)
        {
            return;
        }
        if (_length + unit.Length > MaxBytes)
        {
            throw new InvalidDataException($"more than {MaxBytes} bytes of audio waiting for video");
        }
        if (_length + unit.Length > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(_data.Length * 2, _length + unit.Length));
        }
        unit.CopyTo(_data.AsSpan(_length));
        _units.Add((timestamp, _length, unit.Length));
        _length += unit.Length;
    }

    /// <summary>
    /// The units that begin before <paramref name="videoEnd"/> (video ticks after time 0), or null if none; the
    /// bytes stay valid until the next call.
    /// </summary>
    public AudioRun? Take(long videoEnd, int videoClockRate)
    {
        if (_origin is null && _origin32 is { } o && _units.Count > 0)
        {
            _origin = _last + unchecked((int)(o - (uint)_last));
        }
        if (_origin is not { } origin)
        {
            return null;
        }
        _units.RemoveAll(u => u.Timestamp < origin);
        var end = origin + videoEnd * ClockRate / videoClockRate;
        var count = _units.FindIndex(u => u.Timestamp >= end);
        count = count < 0 ? _units.Count : count;
        if (count == 0)
        {
            return null;
        }
        _samples.Clear();
        var bytes = 0;
        for (var i = 0; i < count; i++)
        {
            var duration = i + 1 < _units.Count ? _units[i + 1].Timestamp - _units[i].Timestamp : FrameDuration;
            _samples.Add(new AudioSample(_units[i].Size, (uint)duration));
            bytes += _units[i].Size;
        }
        if (_taken.Length < bytes)
        {
            _taken = new byte[Math.Max(bytes, _taken.Length * 2)];
        }
        var at = 0;
        for (var i = 0; i < count; i++)
        {
            _data.AsSpan(_units[i].Offset, _units[i].Size).CopyTo(_taken.AsSpan(at));
            at += _units[i].Size;
        }
        var first = _units[0].Timestamp - origin;
        var keptFrom = count < _units.Count ? _units[count].Offset : _length;
        _data.AsSpan(keptFrom, _length - keptFrom).CopyTo(_data);
        _length -= keptFrom;
        _units.RemoveRange(0, count);
        for (var i = 0; i < _units.Count; i++)
        {
            _units[i] = _units[i] with { Offset = _units[i].Offset - keptFrom };
        }
        return new AudioRun((ulong)first, _samples, _taken.AsMemory(0, bytes));
    }
}
