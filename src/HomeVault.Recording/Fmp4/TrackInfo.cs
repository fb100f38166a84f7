namespace HomeVault.Recording.Fmp4;

/// <summary>A track from the init segment's moov: id, timescale (mdhd), handler (vide/soun) and trex default duration and sample flags.</summary>
public sealed record TrackInfo(uint TrackId, uint Timescale, string Handler, uint DefaultSampleDuration, uint DefaultSampleFlags = 0);
