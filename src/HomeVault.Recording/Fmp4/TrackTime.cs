namespace HomeVault.Recording.Fmp4;

/// <summary>
/// One traf of a fragment: track, tfdt baseMediaDecodeTime, summed sample durations (track
/// timescale), and where in the fragment's bytes the tfdt value sits (so a clip can rebase it).
/// </summary>
public readonly record struct TrackTime(uint TrackId, ulong BaseMediaDecodeTime, ulong Duration, int TfdtValueOffset, bool Is64Bit);
