namespace HomeVault.Recording.Fmp4;

/// <summary>
/// One fragment (any styp/sidx/prft/emsg before it, then moof + mdat) with its media time on the
/// reference track. <see cref="Bytes"/> is the reader's reused buffer: valid until the next read.
/// </summary>
public readonly record struct Fmp4Fragment(ReadOnlyMemory<byte> Bytes, ulong BaseMediaDecodeTime, ulong DurationTicks, uint Timescale)
{
    public TimeSpan Start => Ticks(BaseMediaDecodeTime);

    public TimeSpan Duration => Ticks(DurationTicks);

    public TimeSpan End => Ticks(BaseMediaDecodeTime + DurationTicks);

    private TimeSpan Ticks(ulong t) => TimeSpan.FromTicks((long)((decimal)t * TimeSpan.TicksPerSecond / Timescale));
}
