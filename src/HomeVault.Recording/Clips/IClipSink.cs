namespace HomeVault.Recording.Clips;

/// <summary>Where finished footage goes (production: age encryption + fsync + catalog row + audit leaf).</summary>
public interface IClipSink
{
    /// <summary>Opens a clip. <paramref name="initSegment"/> (ftyp + moov) must be written first; it is only valid during the call.</summary>
    ValueTask<IClipWriter> BeginClipAsync(string camera, long runId, DateTimeOffset start, ReadOnlyMemory<byte> initSegment, CancellationToken ct);
}
