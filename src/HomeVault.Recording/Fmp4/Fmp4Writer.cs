using System.Buffers.Binary;
using System.Text;

namespace HomeVault.Recording.Fmp4;

/// <summary>
/// One video sample of a fragment: its size in the mdat, its duration (track timescale), whether it is a sync sample, and
/// how much later than its decode time it is shown (non-zero only with B-frames; may be negative).
/// </summary>
internal readonly record struct VideoSample(int Size, uint Duration, bool Key, int CompositionOffset = 0);

/// <summary>
/// Writes the fragmented MP4 that <see cref="Fmp4Reader"/> reads and ffmpeg's <c>+frag_keyframe+empty_moov+default_base_moof</c>
/// writes: an init segment with one video track and perhaps an AAC track (ftyp + moov with empty sample tables and
/// mvex/trex), then fragments of moof (mfhd, a traf with tfhd/tfdt/trun per track) + mdat (the video, then the audio). Boxes are written into one reused buffer; the media
/// data itself is not copied here (see <see cref="WriteFragment"/>).
/// </summary>
internal sealed partial class Fmp4Writer
{
    public const uint TrackId = 1;

    public const uint AudioTrackId = 2;

    private readonly List<int> _open = [];
    private byte[] _buffer = new byte[1 << 16];
    private int _length;
    private uint _sequence;

    /// <summary>The bytes written since the last <see cref="Take"/>. A later write may move the buffer: take slices right after writing.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    public void Take() => _length = 0;

    /// <summary>Where the last <see cref="WriteFragment"/> put the video's tfdt value (64-bit), from the start of its moof.</summary>
    public int TfdtValueOffset { get; private set; }

    /// <summary>Where the last <see cref="WriteFragment"/> with audio put the audio's tfdt value (64-bit), from the start of its moof.</summary>
    public int AudioTfdtValueOffset { get; private set; }

    /// <summary>
    /// ftyp + moov for one video track of <paramref name="timescale"/> with <paramref name="sampleEntry"/> (avc1/hvc1)
    /// carrying <paramref name="configBox"/>, and an AAC track when <paramref name="audio"/> is given.
    /// </summary>
    public void WriteInit(string sampleEntry, string configBox, byte[] config, int width, int height, uint timescale, AacTrack? audio = null)
    {
        Open("ftyp");
        Fourcc("isom");
        U32(0x200);
        foreach (var brand in new[] { "isom", "iso6", "mp41", sampleEntry == "avc1" ? "avc1" : "hvc1" })
        {
            Fourcc(brand);
        }
        Close();
        Open("moov");
        FullBox("mvhd", 0, 0);
        U32(0);
        U32(0);
        U32(1000);
        U32(0);
        U32(0x00010000); // rate
        U16(0x0100); // volume
        Zeros(10);
        Matrix();
        Zeros(24);
        U32((audio is null ? TrackId : AudioTrackId) + 1);
        Close();
        Track(TrackId, timescale, "vide", width, height, () =>
        {
            Open(sampleEntry);
            Zeros(6);
            U16(1); // data_reference_index
            Zeros(16);
            U16((ushort)width);
            U16((ushort)height);
            U32(0x00480000);
            U32(0x00480000);
            U32(0);
            U16(1); // frame_count
            Zeros(32); // compressorname
            U16(0x0018);
            U16(0xFFFF);
            Open(configBox);
            Bytes(config);
            Close();
            Close();
        });
        if (audio is not null)
        {
            Track(AudioTrackId, audio.Timescale, "soun", 0, 0, () => AudioSampleEntry(audio));
        }
        Open("mvex");
        foreach (var id in audio is null ? [TrackId] : new[] { TrackId, AudioTrackId })
        {
            FullBox("trex", 0, 0);
            U32(id);
            U32(1);
            U32(0);
            U32(0);
            U32(0);
            Close();
        }
        Close();
        Close(); // moov
    }

    /// <summary>One trak with an empty sample table: <paramref name="sampleEntry"/> writes the one entry of its stsd.</summary>
    private void Track(uint id, uint timescale, string handler, int width, int height, Action sampleEntry)
    {
        Open("trak");
        FullBox("tkhd", 0, 3); // enabled, in movie
        U32(0);
        U32(0);
        U32(id);
        U32(0);
        U32(0); // duration
        Zeros(8);
        U16(0); // layer
        U16(0); // alternate group
        U16(handler == "soun" ? (ushort)0x0100 : (ushort)0); // volume
        U16(0);
        Matrix();
        U32((uint)width << 16);
        U32((uint)height << 16);
        Close();
        Open("mdia");
        FullBox("mdhd", 0, 0);
        U32(0);
        U32(0);
        U32(timescale);
        U32(0);
        U16(0x55C4); // "und"
        U16(0);
        Close();
        FullBox("hdlr", 0, 0);
        U32(0);
        Fourcc(handler);
        Zeros(12);
        Bytes(handler == "soun" ? "SoundHandler\0"u8 : "VideoHandler\0"u8);
        Close();
        Open("minf");
        if (handler == "soun")
        {
            FullBox("smhd", 0, 0);
            Zeros(4);
        }
        else
        {
            FullBox("vmhd", 0, 1);
            Zeros(8);
        }
        Close();
        Open("dinf");
        FullBox("dref", 0, 0);
        U32(1);
        FullBox("url ", 0, 1);
        Close();
        Close();
        Close();
        Open("stbl");
        Open("stsd");
        U32(0);
        U32(1);
        sampleEntry();
        Close();
        foreach (var empty in new[] { "stts", "stsc", "stsz", "stco" })
        {
            FullBox(empty, 0, 0);
            if (empty == "stsz")
            {
                U32(0);
            }
            U32(0);
            Close();
        }
        Close(); // stbl
        Close(); // minf
        Close(); // mdia
        Close(); // trak
    }

    /// <summary>
    /// moof + the mdat box header of <paramref name="samples"/> and then <paramref name="audio"/>'s samples: the
    /// caller sends the video's <paramref name="mdatLength"/> bytes right after (without copying them here), then the audio's.
    /// </summary>
    public void WriteFragment(ulong baseMediaDecodeTime, IReadOnlyList<VideoSample> samples, int mdatLength, AudioRun? audio = null)
    {
        var moofStart = _length;
        Open("moof");
        FullBox("mfhd", 0, 0);
        U32(++_sequence);
        Close();
        // Composition offsets only with B-frames, in a version 1 trun, whose offsets are signed (ISO 14496-12 8.8.8):
        // decode times are the presentation times in order, so a B-frame is shown before it is decoded. An edit list
        // with version 0 would need the reorder depth in the moov, written before the first frame arrives.
        var reordered = samples.Any(s => s.CompositionOffset != 0);
        (var videoOffsetAt, TfdtValueOffset) = Run(moofStart, TrackId, baseMediaDecodeTime, samples.Count, reordered ? (byte)1 : (byte)0, reordered ? 0x000F01u : 0x000701u, i =>
        {
            U32(samples[i].Duration);
            U32((uint)samples[i].Size);
            U32(samples[i].Key ? 0x02000000u : 0x01010000u);
            if (reordered)
            {
                U32(unchecked((uint)samples[i].CompositionOffset));
            }
        });
        var audioOffsetAt = -1;
        if (audio is { } a)
        {
            (audioOffsetAt, AudioTfdtValueOffset) = Run(moofStart, AudioTrackId, a.BaseMediaDecodeTime, a.Samples.Count, 0, 0x000301, i =>
            {
                U32(a.Samples[i].Duration);
                U32((uint)a.Samples[i].Size);
            });
        }
        Close(); // moof
        var dataOffset = _length - moofStart + 8;
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(videoOffsetAt), (uint)dataOffset);
        if (audioOffsetAt >= 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(audioOffsetAt), (uint)(dataOffset + mdatLength));
        }
        U32((uint)(8 + mdatLength + (audio?.Data.Length ?? 0)));
        Fourcc("mdat");
    }

    /// <summary>A traf of one trun (<paramref name="trunFlags"/>, always with a data offset); returns where the data offset goes and where its tfdt value is from the moof's start.</summary>
    private (int DataOffsetAt, int TfdtValueOffset) Run(int moofStart, uint trackId, ulong baseMediaDecodeTime, int count, byte trunVersion, uint trunFlags, Action<int> sample)
    {
        Open("traf");
        FullBox("tfhd", 0, 0x020000); // default-base-is-moof
        U32(trackId);
        Close();
        FullBox("tfdt", 1, 0);
        var tfdtAt = _length - moofStart;
        U64(baseMediaDecodeTime);
        Close();
        FullBox("trun", trunVersion, trunFlags);
        U32((uint)count);
        var dataOffsetAt = _length;
        U32(0);
        for (var i = 0; i < count; i++)
        {
            sample(i);
        }
        Close();
        Close(); // traf
        return (dataOffsetAt, tfdtAt);
    }

    private void Open(string type)
    {
        _open.Add(_length);
        U32(0);
        Fourcc(type);
    }

    private void FullBox(string type, byte version, uint flags)
    {
        Open(type);
        U32(((uint)version << 24) | flags);
    }

    private void Close()
    {
        var start = _open[^1];
        _open.RemoveAt(_open.Count - 1);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(start), (uint)(_length - start));
    }

    private void Matrix()
    {
        foreach (var v in new uint[] { 0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000 })
        {
            U32(v);
        }
    }

    private void Fourcc(string type) => Bytes(Encoding.ASCII.GetBytes(type));

    private void U16(ushort v)
    {
        Ensure(2);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(_length), v);
        _length += 2;
    }

    private void U32(uint v)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_length), v);
        _length += 4;
    }

    private void U64(ulong v)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.AsSpan(_length), v);
        _length += 8;
    }

    private void Zeros(int count)
    {
        Ensure(count);
        _buffer.AsSpan(_length, count).Clear();
        _length += count;
    }

    private void Bytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Ensure(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more + (1 << 16)));
        }
    }
}
