using System.Buffers.Binary;
using System.Text;

namespace HomeVault.Recording.Fmp4;

/// <summary>
/// Streams ffmpeg's fragmented MP4: first the init segment (ftyp + moov), then one fragment at a
/// time. Box sizes are checked before anything is allocated, so garbage cannot make it allocate
/// gigabytes; fragment bytes live in one reused buffer (flat memory over months).
/// </summary>
public sealed class Fmp4Reader
{
    public const int DefaultMaxFragmentBytes = 64 << 20;
    public const int MaxInitBytes = 4 << 20;

    private const int GrowStep = 64 << 10;
    private const int InitialBufferBytes = 256 << 10;

    private static readonly HashSet<string> Prefixes = ["styp", "sidx", "prft", "emsg"];
    private readonly Stream _stream;
    private readonly int _maxFragmentBytes;
    private readonly byte[] _header = new byte[16];
    private byte[] _buffer = new byte[InitialBufferBytes];
    private InitSegment? _init;

    public Fmp4Reader(Stream stream, int maxFragmentBytes = DefaultMaxFragmentBytes)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _maxFragmentBytes = maxFragmentBytes;
    }

    /// <summary>Bytes read so far (for health and stall accounting).</summary>
    public long BytesRead { get; private set; }

    /// <summary>Set when the stream ended inside a box (a killed ffmpeg); those bytes are dropped.</summary>
    public bool EndedMidBox { get; private set; }

    /// <summary>Reads ftyp and moov (and anything between); null if the stream ends before moov.</summary>
    public async ValueTask<InitSegment?> ReadInitSegmentAsync(CancellationToken ct)
    {
        var length = 0;
        while (true)
        {
            var box = await ReadBoxAsync(length, MaxInitBytes, "init segment", ct).ConfigureAwait(false);
            if (box is not { } b)
            {
                return null;
            }
            length += b.Size;
            if (b.Type == "moov")
            {
                var bytes = _buffer.AsMemory(0, length).ToArray();
                var tracks = BoxParser.ParseMoov(bytes.AsMemory(b.Offset + b.HeaderSize, b.Size - b.HeaderSize));
                _init = new InitSegment(bytes, tracks);
                return _init;
            }
            if (b.Type is "moof" or "mdat")
            {
                throw new Fmp4Exception($"'{b.Type}' before moov");
            }
        }
    }

    /// <summary>Reads the next fragment; null at the end of the stream (or at the closing mfra).</summary>
    public async ValueTask<Fmp4Fragment?> ReadFragmentAsync(CancellationToken ct)
    {
        var init = _init ?? throw new InvalidOperationException("read the init segment first");
        var length = 0;
        var moofOffset = -1;
        while (true)
        {
            var box = await ReadBoxAsync(length, _maxFragmentBytes, "fragment", ct).ConfigureAwait(false);
            if (box is not { } b)
            {
                if (length > 0)
                {
                    EndedMidBox = true;
                }
                return null;
            }
            switch (b.Type)
            {
                case "moof" when moofOffset < 0:
                    moofOffset = length;
                    length += b.Size;
                    break;
                case "mdat" when moofOffset >= 0:
                    length += b.Size;
                    var moof = _buffer.AsMemory(moofOffset, length - moofOffset);
                    var moofHeader = BinaryPrimitives.ReadUInt32BigEndian(moof.Span) == 1 ? 16 : 8;
                    var tracks = BoxParser.ParseMoof(moof[moofHeader..], init.Tracks, moofOffset + moofHeader);
                    if (tracks.Count == 0)
                    {
                        throw new Fmp4Exception("moof without traf");
                    }
                    var reference = tracks.Find(t => t.TrackId == init.Reference.TrackId);
                    if (reference.TrackId == 0)
                    {
                        reference = tracks[0];
                    }
                    var timescale = init.Tracks.FirstOrDefault(t => t.TrackId == reference.TrackId)?.Timescale
                        ?? throw new Fmp4Exception($"moof names track {reference.TrackId}, which moov does not have");
                    return new Fmp4Fragment(_buffer.AsMemory(0, length), tracks, reference, timescale);
                case "mfra":
                    return null; // ffmpeg's trailer: the stream is over
                default:
                    if (moofOffset >= 0)
                    {
                        throw new Fmp4Exception($"'{b.Type}' between moof and mdat");
                    }
                    if (Prefixes.Contains(b.Type))
                    {
                        length += b.Size; // travels with the fragment it announces
                    }
                    // anything else at top level (free, skip, unknown) is dropped
                    break;
            }
        }
    }

    private readonly record struct Box(string Type, int Offset, int HeaderSize, int Size);

    /// <summary>Reads one whole top-level box into the buffer at <paramref name="offset"/>; null on a clean EOF.</summary>
    private async ValueTask<Box?> ReadBoxAsync(int offset, int limit, string what, CancellationToken ct)
    {
        if (!await FillAsync(_header.AsMemory(0, 8), ct).ConfigureAwait(false))
        {
            return null;
        }
        ulong size = BinaryPrimitives.ReadUInt32BigEndian(_header);
        var type = Encoding.ASCII.GetString(_header, 4, 4);
        if (!IsPrintable(type))
        {
            throw new Fmp4Exception("box type is not four printable characters: not an MP4 stream");
        }
        var headerSize = 8;
        if (size == 1)
        {
            if (!await FillAsync(_header.AsMemory(8, 8), ct).ConfigureAwait(false))
            {
                EndedMidBox = true;
                return null;
            }
            size = BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(8));
            headerSize = 16;
        }
        else if (size == 0)
        {
            throw new Fmp4Exception($"box '{type}' extends to the end of the stream; a live stream needs sized boxes");
        }
        if (size < (ulong)headerSize)
        {
            throw new Fmp4Exception($"box '{type}' has impossible size {size}");
        }
        if ((ulong)offset + size > (ulong)limit)
        {
            throw new Fmp4Exception($"{what} larger than {limit} bytes (box '{type}' of {size} bytes)");
        }
        var total = offset + (int)size;
        if (total > _buffer.Length)
        {
            // Just above the largest fragment seen, not doubled: doubling held up to twice the largest
            // fragment per camera for the life of the run. (Shrinking after an outsized fragment was
            // tried and measured worse: the dropped buffer waits on the large object heap for a full GC,
            // which a recorder that allocates little rarely triggers.)
            var grown = new byte[(int)Math.Min(WithHeadroom(total), limit)];
            _buffer.AsSpan(0, offset).CopyTo(grown);
            _buffer = grown;
        }
        _header.AsSpan(0, headerSize).CopyTo(_buffer.AsSpan(offset));
        if (!await FillAsync(_buffer.AsMemory(offset + headerSize, (int)size - headerSize), ct).ConfigureAwait(false))
        {
            EndedMidBox = true;
            return null;
        }
        return new Box(type, offset, headerSize, (int)size);
    }

    private static long WithHeadroom(long bytes) => (bytes + bytes / 8 + GrowStep - 1) / GrowStep * GrowStep;

    private static bool IsPrintable(string type)
    {
        foreach (var c in type)
        {
            if (c < 0x20 || c > 0x7e)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Fills <paramref name="target"/> completely; false if the stream ended first (partial data dropped).</summary>
    private async ValueTask<bool> FillAsync(Memory<byte> target, CancellationToken ct)
    {
        var read = 0;
        while (read < target.Length)
        {
            var n = await _stream.ReadAsync(target[read..], ct).ConfigureAwait(false);
            if (n == 0)
            {
                if (read > 0)
                {
                    EndedMidBox = true;
                }
                return false;
            }
            read += n;
            BytesRead += n;
        }
        return true;
    }
}
