using System.Buffers.Binary;
using HomeVault.Core.IO;
using HomeVault.Recording.Fmp4;

namespace HomeVault.Recording.Rtsp;

/// <summary>
/// A fragment's worth of frames: its samples and their length-prefixed NAL units, the first a keyframe or the frame after
/// the previous fragment of the same group of pictures. The bytes are the depacketiser's own buffer, valid until its next
/// <see cref="NalDepacketizer.Push"/> or <see cref="NalDepacketizer.Flush"/>, so a reader can take them from there without
/// a copy; inside the callback, <see cref="NalDepacketizer.Prepend"/> puts a header (the fragment's moof) right before them
/// in the same buffer.
/// </summary>
internal delegate void FragmentReady(long firstTimestamp, IReadOnlyList<VideoSample> samples, ReadOnlyMemory<byte> mdat);

/// <summary>
/// Turns the RTP payloads of an H.264 (RFC 6184: single NAL, STAP-A, FU-A) or H.265 (RFC 7798: single, AP, FU)
/// stream into fragments: access units are closed by the marker bit or a new timestamp; each keyframe hands the frames
/// before it to <see cref="FragmentReady"/> (starting at the first keyframe, so the footage is decodable from its start),
/// and so does a group that has grown to <see cref="SplitTicks"/> or <see cref="SplitBytes"/>, as soon as the next frame
/// begins (its timestamp ends the last one): the buffer holds half a second of the camera or its largest frame, not its
/// largest group of pictures (camsim's first group is 3.4 MB, its first frames 0.9 and 0.75 MB). A stream
/// with B-frames is not cut inside a group (a frame may be shown before one decoded earlier), and one whose B-frames start
/// after a cut is handed to ffmpeg. Parameter sets are kept out of the samples and taken for the init segment; access unit
/// delimiters are dropped. The caller stops at the first lost packet (<see cref="RtpSequence"/>), so a damaged fragment
/// never reaches <see cref="FragmentReady"/>.
/// </summary>
internal sealed class NalDepacketizer : IDisposable
{
    /// <summary>A group is cut once its frames so far span half a second (RTP's 90 kHz video clock, RFC 6184 8.2.1, RFC 7798 7.1).</summary>
    public const long SplitTicks = 45_000;

    /// <summary>... or hold this much, whichever comes first (half a second at 4 Mbit/s).</summary>
    public const int SplitBytes = 256 << 10;

    /// <summary>The largest fragment kept in memory (one enormous frame), as <see cref="Fmp4Reader.DefaultMaxFragmentBytes"/> for ffmpeg's.</summary>
    private const int MaxFragmentBytes = Fmp4Reader.DefaultMaxFragmentBytes - (1 << 20);

    /// <summary>What the buffer starts at, and the least it shrinks to.</summary>
    private const int InitialBytes = 1 << 18;

    /// <summary>How many fragments' worth of buffer use (about half a minute's) decide whether it shrinks.</summary>
    private const int ShrinkEvery = 64;

    private readonly bool _hevc;
    private readonly FragmentReady _ready;
    private readonly List<(int Offset, long Timestamp, bool Key)> _units = [];
    private readonly List<VideoSample> _samples = [];
    private readonly List<long> _shown = [];
    private readonly List<NativeBuffer> _retired = [];
    private NativeBuffer _mdat = new(InitialBytes);
    private int _highWater;
    private int _reclaims;
    private int _headroom = 1 << 10;
    private int _length;
    private int _unitStart;
    private long? _unitTimestamp;
    private bool _unitKey;
    private bool _unitHasPicture;
    private int _nalStart = -1;
    private int _handedOver;
    private (int Floor, int From, int To) _lastGroup;
    private uint _lastDuration = 3000;
    private long? _keyAt;
    private long _handedUpTo = long.MinValue;
    private bool _reordered;
    private bool _cutBeforeNext;

    public NalDepacketizer(bool hevc, FragmentReady ready, byte[]? vps = null, byte[]? sps = null, byte[]? pps = null)
    {
        _hevc = hevc;
        _ready = ready;
        (Vps, Sps, Pps) = (vps, sps, pps);
        (_length, _unitStart) = (_headroom, _headroom);
    }

    public byte[]? Vps { get; private set; }

    public byte[]? Sps { get; private set; }

    public byte[]? Pps { get; private set; }

    /// <summary>The buffer's size now (for the tests of its growing and shrinking).</summary>
    internal int Capacity => _mdat.Length;

    /// <summary>Set when an in-band parameter set differs from the one before: the init segment no longer fits.</summary>
    public bool ParameterSetsChanged { get; private set; }

    public void Push(ReadOnlySpan<byte> payload, long timestamp, bool marker)
    {
        Reclaim();
        if (_unitTimestamp is { } t && t != timestamp)
        {
            CloseUnit();
        }
        if (_unitTimestamp is null && _cutBeforeNext)
        {
            // The next frame has begun, so the last one's duration is known: hand the full fragment over before a byte
            // of the new frame joins it in the buffer (a frame shown earlier than the last is a B-frame: no cut there).
            _cutBeforeNext = false;
            if (timestamp > _units[^1].Timestamp)
            {
                Emit(_units.Count, timestamp);
            }
        }
        _unitTimestamp = timestamp;
        if (_hevc)
        {
            PushH265(payload);
        }
        else
        {
            PushH264(payload);
        }
        if (marker)
        {
            CloseUnit();
        }
    }

    /// <summary>Hands over the frames complete so far (the recorder's stop); the last frame lasts as long as the one before it.</summary>
    public void Flush()
    {
        Reclaim();
        if (_nalStart >= 0)
        {
            // Stopped inside a fragmented NAL unit: that frame was never whole.
            (_nalStart, _length, _unitTimestamp) = (-1, _unitStart, null);
        }
        CloseUnit();
        if (_units.Count > 0)
        {
            var shown = PresentationOrder(_units.Count);
            var last = shown.Count > 1 ? shown[^1] - shown[^2] : _lastDuration;
            Emit(_units.Count, shown[^1] + last);
        }
    }

    private void PushH264(ReadOnlySpan<byte> p)
    {
        if (p.IsEmpty)
        {
            return;
        }
        var type = p[0] & 0x1F;
        switch (type)
        {
            case >= 1 and <= 23:
                WholeNal(p);
                break;
            case 24: // STAP-A
                Aggregate(p[1..]);
                break;
            case 28: // FU-A
                if (p.Length < 2)
                {
                    throw new InvalidDataException("FU-A packet truncated");
                }
                Fragment((p[1] & 0x80) != 0, (p[1] & 0x40) != 0, [(byte)((p[0] & 0xE0) | (p[1] & 0x1F))], p[2..]);
                break;
            default:
                throw new NativeIngestUnsupportedException($"H.264 RTP packetization type {type} (only single NAL, STAP-A and FU-A)");
        }
    }

    private void PushH265(ReadOnlySpan<byte> p)
    {
        if (p.Length < 2)
        {
            return;
        }
        var type = (p[0] >> 1) & 0x3F;
        switch (type)
        {
            case 48: // AP
                Aggregate(p[2..]);
                break;
            case 49: // FU
                if (p.Length < 3)
                {
                    throw new InvalidDataException("FU packet truncated");
                }
                Fragment((p[2] & 0x80) != 0, (p[2] & 0x40) != 0, [(byte)((p[0] & 0x81) | ((p[2] & 0x3F) << 1)), p[1]], p[3..]);
                break;
            case 50:
                throw new NativeIngestUnsupportedException("H.265 PACI packets");
            default:
                WholeNal(p);
                break;
        }
    }

    private void Aggregate(ReadOnlySpan<byte> p)
    {
        while (p.Length >= 2)
        {
            var size = BinaryPrimitives.ReadUInt16BigEndian(p);
            if (size == 0 || p.Length < 2 + size)
            {
                throw new InvalidDataException("aggregation packet with a unit that does not fit");
            }
            WholeNal(p.Slice(2, size));
            p = p[(2 + size)..];
        }
    }

    private void Fragment(bool start, bool end, ReadOnlySpan<byte> header, ReadOnlySpan<byte> data)
    {
        if (start)
        {
            if (_nalStart >= 0)
            {
                throw new InvalidDataException("fragmentation unit started inside another");
            }
            BeginNal();
            Append(header);
        }
        else if (_nalStart < 0)
        {
            throw new InvalidDataException("fragmentation unit continued without a start");
        }
        Append(data);
        if (end)
        {
            EndNal();
        }
    }

    private void WholeNal(ReadOnlySpan<byte> nal)
    {
        if (_nalStart >= 0)
        {
            throw new InvalidDataException("fragmentation unit not ended");
        }
        BeginNal();
        Append(nal);
        EndNal();
    }

    private void BeginNal()
    {
        _nalStart = _length;
        Append([0, 0, 0, 0]);
    }

    private void EndNal()
    {
        var start = _nalStart;
        _nalStart = -1;
        var nal = _mdat.Span(start + 4, _length - start - 4);
        if (nal.Length < (_hevc ? 2 : 1))
        {
            _length = start;
            return;
        }
        var type = _hevc ? (nal[0] >> 1) & 0x3F : nal[0] & 0x1F;
        var kind = _hevc
            ? type switch { 32 => 'V', 33 => 'S', 34 => 'P', 35 or 38 => 'x', >= 16 and <= 21 => 'K', < 32 => 'F', _ => 'o' }
            : type switch { 7 => 'S', 8 => 'P', 9 or 12 => 'x', 5 => 'K', >= 1 and <= 4 => 'F', _ => 'o' };
        switch (kind)
        {
            case 'V':
                Vps = Keep(Vps, nal);
                _length = start;
                return;
            case 'S':
                Sps = Keep(Sps, nal);
                _length = start;
                return;
            case 'P':
                Pps = Keep(Pps, nal);
                _length = start;
                return;
            case 'x': // access unit delimiter, filler
                _length = start;
                return;
            case 'K':
                _unitKey = true;
                _unitHasPicture = true;
                break;
            case 'F':
                _unitHasPicture = true;
                break;
        }
        BinaryPrimitives.WriteUInt32BigEndian(_mdat.Span(start, 4), (uint)nal.Length);
    }

    private byte[] Keep(byte[]? before, ReadOnlySpan<byte> nal)
    {
        if (before is not null && nal.SequenceEqual(before))
        {
            return before;
        }
        ParameterSetsChanged |= before is not null;
        return nal.ToArray();
    }

    private void CloseUnit()
    {
        if (_nalStart >= 0)
        {
            throw new InvalidDataException("access unit ended inside a fragmentation unit");
        }
        if (_unitTimestamp is not { } ts || !_unitHasPicture || (_keyAt is null && !_unitKey))
        {
            _length = _unitStart; // nothing to show, or no keyframe yet to start from
        }
        else
        {
            if (!_unitKey && ts <= _keyAt)
            {
                throw new NativeIngestUnsupportedException("a frame shown before its group's keyframe (open GOP)");
            }
            if (!_unitKey && ts < _handedUpTo)
            {
                throw new NativeIngestUnsupportedException("B-frames that began after the stream was cut inside its groups of pictures");
            }
            _reordered |= _units.Count > 0 && ts < _units[^1].Timestamp;
            if (_unitKey)
            {
                if (_units.Count > 0)
                {
                    Emit(_units.Count, ts);
                }
                _keyAt = ts;
            }
            _units.Add((_unitStart, ts, _unitKey));
            if (_length > MaxFragmentBytes)
            {
                throw new InvalidDataException($"a fragment larger than {MaxFragmentBytes} bytes");
            }
            _cutBeforeNext = !_reordered && Full();
        }
        _unitStart = _length;
        _unitTimestamp = null;
        _unitKey = false;
        _unitHasPicture = false;
    }

    /// <summary>
    /// Whether the frames waiting make a fragment: half a second of them (the last lasting as long as the one before it)
    /// or <see cref="SplitBytes"/>.
    /// </summary>
    private bool Full()
    {
        var last = _units[^1].Timestamp;
        var frame = _units.Count > 1 ? last - _units[^2].Timestamp : _lastDuration;
        return last + frame - _units[0].Timestamp >= SplitTicks || _length - _units[0].Offset >= SplitBytes;
    }

    /// <summary>The first <paramref name="count"/> units' RTP timestamps (presentation times) in the order they are shown.</summary>
    private List<long> PresentationOrder(int count)
    {
        _shown.Clear();
        for (var i = 0; i < count; i++)
        {
            _shown.Add(_units[i].Timestamp);
        }
        _shown.Sort();
        return _shown;
    }

    /// <summary>
    /// Hands the first <paramref name="count"/> units to the callback and keeps the rest at the buffer's start. The
    /// units come in decode order; with B-frames their timestamps (presentation times) do not rise with it, so the
    /// i-th unit decodes at the i-th presentation time in sorted order and is shown its composition offset later
    /// (negative for a B-frame shown before a frame decoded earlier). Decode times then start at the keyframe's
    /// presentation time, as they do without B-frames, and every sample lasts until the next one is shown.
    /// </summary>
    private void Emit(int count, long nextTimestamp)
    {
        var shown = PresentationOrder(count);
        if (nextTimestamp <= shown[^1])
        {
            throw new NativeIngestUnsupportedException("a frame shown after the next group's keyframe (open GOP)");
        }
        _samples.Clear();
        for (var i = 0; i < count; i++)
        {
            var end = i + 1 < _units.Count ? _units[i + 1].Offset : _unitStart;
            var next = i + 1 < count ? shown[i + 1] : nextTimestamp;
            _lastDuration = (uint)(next - shown[i]);
            _samples.Add(new VideoSample(end - _units[i].Offset, _lastDuration, _units[i].Key, (int)(_units[i].Timestamp - shown[i])));
        }
        // Fragments handed over since the last Reclaim lie one after another, the first after the headroom.
        var from = _units[0].Offset;
        var emitted = count < _units.Count ? _units[count].Offset : _unitStart;
        var first = _units[0].Timestamp;
        _units.RemoveRange(0, count);
        _lastGroup = (_handedOver, from, emitted);
        _handedOver = emitted;
        _handedUpTo = nextTimestamp;
        _cutBeforeNext = false; // what waited for the cut has gone (a stop's Flush hands everything over)
        _ready(first, _samples, _mdat.Slice(from, emitted - from));
    }

    /// <summary>
    /// From inside <see cref="FragmentReady"/>: writes <paramref name="header"/> right before the fragment just handed over, in the
    /// headroom kept for it (moving what follows the fragment handed over before, if the room is short), and returns header and
    /// fragment as one block of the buffer, valid as long as the fragment.
    /// </summary>
    public Memory<byte> Prepend(ReadOnlySpan<byte> header)
    {
        var (floor, from, to) = _lastGroup;
        var room = from - floor;
        if (room < header.Length)
        {
            var by = header.Length - room;
            Move(from, by);
            (from, to) = (from + by, to + by);
            _handedOver = to;
        }
        _headroom = Math.Max(_headroom, header.Length);
        header.CopyTo(_mdat.Span(from - header.Length, header.Length));
        return _mdat.Slice(from - header.Length, to - from + header.Length);
    }

    /// <summary>
    /// Once the reader is done with what was handed over: frees the buffers it outgrew meanwhile, moves what follows to
    /// just after the headroom, and now and then shrinks a buffer that an outsized frame left far larger than the stream needs.
    /// </summary>
    private void Reclaim()
    {
        if (_handedOver == 0)
        {
            return;
        }
        FreeRetired();
        var handedOver = _handedOver;
        _handedOver = 0;
        Move(handedOver, _headroom - handedOver);
        if (++_reclaims >= ShrinkEvery)
        {
            var fits = Math.Max(InitialBytes, Rounded(_highWater + _highWater / 2));
            if (_mdat.Length >= 2 * fits)
            {
                Resize(fits);
            }
            (_reclaims, _highWater) = (0, _length);
        }
    }

    /// <summary>Moves the bytes from <paramref name="at"/> on by <paramref name="by"/> (either way), with every offset into them.</summary>
    private void Move(int at, int by)
    {
        var kept = _length - at;
        Grow(at + by + kept);
        _mdat.Span(at, kept).CopyTo(_mdat.Span(at + by, kept));
        for (var i = 0; i < _units.Count; i++)
        {
            _units[i] = _units[i] with { Offset = _units[i].Offset + by };
        }
        _unitStart += by;
        if (_nalStart >= 0)
        {
            _nalStart += by;
        }
        _length += by;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        Grow(_length + bytes.Length);
        bytes.CopyTo(_mdat.Span(_length, bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>
    /// By half again (at least what is needed and an eighth): doubling held up to twice the largest group of pictures per
    /// camera for the life of the run, when fragments were whole groups; growing by an eighth took a dozen steps to a 1 MB
    /// group, and the outgrown arrays (about 9 MB per camera) waited on the large object heap for a full collection: 315 MB
    /// at 32 cameras. The buffer is native memory now (<see cref="NativeBuffer"/>): an outgrown one is freed at once.
    /// </summary>
    private void Grow(int needed)
    {
        _highWater = Math.Max(_highWater, needed);
        if (needed > _mdat.Length)
        {
            Resize(Rounded(Math.Max(needed + needed / 8, _mdat.Length + _mdat.Length / 2)));
        }
    }

    private static int Rounded(int size) => (size + (1 << 16) - 1) / (1 << 16) * (1 << 16);

    /// <summary>A new buffer of <paramref name="size"/> with the bytes so far; the old one is freed once nothing handed over points into it.</summary>
    private void Resize(int size)
    {
        var next = new NativeBuffer(size);
        _mdat.Span(0, _length).CopyTo(next.GetSpan());
        if (_handedOver == 0)
        {
            _mdat.Free();
        }
        else
        {
            _retired.Add(_mdat);
        }
        _mdat = next;
    }

    /// <summary>Frees the buffers outgrown while a fragment in them was still being read.</summary>
    private void FreeRetired()
    {
        foreach (var old in _retired)
        {
            old.Free();
        }
        _retired.Clear();
    }

    /// <summary>Frees the buffers: what was handed over is gone with them.</summary>
    public void Dispose()
    {
        FreeRetired();
        _mdat.Free();
    }
}
