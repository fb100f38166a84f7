using System.Buffers.Binary;
using System.Text;

namespace HomeVault.Recording.Fmp4;

/// <summary>One video sample of a fragment: its size in the mdat, its duration (track timescale), whether it is a sync sample.</summary>
internal readonly record struct VideoSample(int Size, uint Duration, bool Key);

/// <summary>
/// Writes the fragmented MP4 that <see cref="Fmp4Reader"/> reads and ffmpeg's <c>+frag_keyframe+empty_moov+default_base_moof</c>
/// writes: an init segment with one video track (ftyp + moov with an empty sample table and mvex/trex), then
/// fragments of moof (mfhd, traf with tfhd/tfdt/trun) + mdat. Boxes are written into one reused buffer; the media
/// data itself is not copied here (see <see cref="WriteFragment"/>).
/// </summary>
internal sealed class Fmp4Writer
{
    public const uint TrackId = 1;

    private readonly List<int> _open = [];
    private byte[] _buffer = new byte[1 << 16];
    private int _length;
    private uint _sequence;

    /// <summary>The bytes written since the last <see cref="Take"/>. A later write may move the buffer: take slices right after writing.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    public void Take() => _length = 0;

    /// <summary>Where the last <see cref="WriteFragment"/> put its tfdt value (64-bit), from the start of its moof.</summary>
    public int TfdtValueOffset { get; private set; }

    /// <summary>ftyp + moov for one video track of <paramref name="timescale"/> with <paramref name="sampleEntry"/> (avc1/hvc1) carrying <paramref name="configBox"/>.</summary>
    public void WriteInit(string sampleEntry, string configBox, byte[] config, int width, int height, uint timescale)
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
        U32(TrackId + 1);
        Close();
        Open("trak");
        FullBox("tkhd", 0, 3); // enabled, in movie
        U32(0);
        U32(0);
        U32(TrackId);
        U32(0);
        U32(0); // duration
        Zeros(8);
        U16(0); // layer
        U16(0); // alternate group
        U16(0); // volume
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
        Fourcc("vide");
        Zeros(12);
        Bytes("VideoHandler\0"u8);
        Close();
        Open("minf");
        FullBox("vmhd", 0, 1);
        Zeros(8);
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
        Open("mvex");
        FullBox("trex", 0, 0);
        U32(TrackId);
        U32(1);
        U32(0);
        U32(0);
        U32(0);
        Close();
        Close();
        Close(); // moov
    }

    /// <summary>
    /// moof + the mdat box header of <paramref name="samples"/>, whose <paramref name="mdatLength"/> bytes the caller
    /// sends right after (without copying them here).
    /// </summary>
    public void WriteFragment(ulong baseMediaDecodeTime, IReadOnlyList<VideoSample> samples, int mdatLength)
    {
        var moofStart = _length;
        Open("moof");
        FullBox("mfhd", 0, 0);
        U32(++_sequence);
        Close();
        Open("traf");
        FullBox("tfhd", 0, 0x020000); // default-base-is-moof
        U32(TrackId);
        Close();
        FullBox("tfdt", 1, 0);
        TfdtValueOffset = _length - moofStart;
        U64(baseMediaDecodeTime);
        Close();
        FullBox("trun", 0, 0x000701); // data offset, sample duration, size, flags
        U32((uint)samples.Count);
        var dataOffsetAt = _length;
        U32(0);
        foreach (var s in samples)
        {
            U32(s.Duration);
            U32((uint)s.Size);
            U32(s.Key ? 0x02000000u : 0x01010000u);
        }
        Close();
        Close(); // traf
        Close(); // moof
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(dataOffsetAt), (uint)(_length - moofStart + 8));
        U32((uint)(8 + mdatLength));
        Fourcc("mdat");
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
