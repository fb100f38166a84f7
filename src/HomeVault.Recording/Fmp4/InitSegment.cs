namespace HomeVault.Recording.Fmp4;

/// <summary>ftyp + moov: what every clip starts with.</summary>
public sealed class InitSegment
{
    public InitSegment(byte[] bytes, IReadOnlyList<TrackInfo> tracks)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        Bytes = bytes;
        Tracks = tracks;
        Reference = tracks.FirstOrDefault(t => t.Handler == "vide") ?? (tracks.Count > 0 ? tracks[0] : null)
            ?? throw new Fmp4Exception("moov has no tracks");
    }

    public ReadOnlyMemory<byte> Bytes { get; }

    public IReadOnlyList<TrackInfo> Tracks { get; }

    /// <summary>The track whose time the clips are cut by: the first video track.</summary>
    public TrackInfo Reference { get; }
}
