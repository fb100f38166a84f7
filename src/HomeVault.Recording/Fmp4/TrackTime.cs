namespace HomeVault.Recording.Fmp4;

/// <summary>
/// One traf of a fragment: track, tfdt baseMediaDecodeTime, summed sample durations (track
/// timescale), where in the fragment's bytes the tfdt value sits (so a clip can rebase it), and whether its first sample
/// is a sync sample (a keyframe: decodable without the fragments before it).
/// </summary>
public readonly record struct TrackTime(uint TrackId, ulong BaseMediaDecodeTime, ulong Duration, int TfdtValueOffset, bool Is64Bit, bool StartsWithSync = true);
