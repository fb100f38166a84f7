namespace HomeVault.Core.Recorder;

/// <summary>A picture of each camera: a JPEG decoded on demand from a keyframe in memory, kept in memory only and briefly.</summary>
public interface ICameraStills
{
    /// <summary>The camera's latest still, or null while it delivers no footage (or within <paramref name="ct"/>'s time).</summary>
    Task<byte[]?> StillAsync(string camera, CancellationToken ct);
}
