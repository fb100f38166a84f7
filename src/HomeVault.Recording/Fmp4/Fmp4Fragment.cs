using System.Buffers.Binary;

namespace HomeVault.Recording.Fmp4;

/// <summary>
/// One fragment (any styp/sidx/prft/emsg before it, then moof + mdat) with its media time on the
/// reference track. The bytes are the reader's reused buffer: valid until the next read. ffmpeg's fragments each
/// start at a keyframe; the native ingest's may not (it cuts a group of pictures into fragments of about half a
/// second), so clips, releases, exports and live viewers start only at one that does (<see cref="StartsWithKeyframe"/>).
/// </summary>
public readonly struct Fmp4Fragment
{
    private readonly Memory<byte> _bytes;

    public Fmp4Fragment(Memory<byte> bytes, IReadOnlyList<TrackTime> tracks, TrackTime reference, uint timescale)
    {
        _bytes = bytes;
        Tracks = tracks;
        Reference = reference;
        Timescale = timescale;
    }

    public ReadOnlyMemory<byte> Bytes => _bytes;

    public IReadOnlyList<TrackTime> Tracks { get; }

    /// <summary>The reference (video) track's times, which clips are cut by.</summary>
    public TrackTime Reference { get; }

    public uint Timescale { get; }

    public ulong BaseMediaDecodeTime => Reference.BaseMediaDecodeTime;

    /// <summary>Whether the reference track's first sample is a keyframe: footage can start here.</summary>
    public bool StartsWithKeyframe => Reference.StartsWithSync;

    public TimeSpan Start => ToTime(Reference.BaseMediaDecodeTime, Timescale);

    public TimeSpan Duration => ToTime(Reference.Duration, Timescale);

    public TimeSpan End => ToTime(Reference.BaseMediaDecodeTime + Reference.Duration, Timescale);

    public static TimeSpan ToTime(ulong t, uint timescale) => TimeSpan.FromTicks((long)((decimal)t * TimeSpan.TicksPerSecond / timescale));

    /// <summary>
    /// Rewrites every traf's tfdt in place to <c>tfdt - origin(track)</c>, so a clip's timeline starts at
    /// zero and players report its own duration (not the run's elapsed time). Values below the origin clamp to 0.
    /// </summary>
    public void Rebase(Func<uint, ulong> origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var span = _bytes.Span;
        foreach (var t in Tracks)
        {
            var o = origin(t.TrackId);
            var value = t.BaseMediaDecodeTime > o ? t.BaseMediaDecodeTime - o : 0;
            if (t.Is64Bit)
            {
                BinaryPrimitives.WriteUInt64BigEndian(span[t.TfdtValueOffset..], value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32BigEndian(span[t.TfdtValueOffset..], (uint)value);
            }
        }
    }
}
