namespace HomeVault.Core.Disclosure.Requests;

/// <summary>What a scope would disclose, per camera, for the owner's review before signing.</summary>
public sealed record ScopePreview(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<CameraPreview> Cameras)
{
    public int TotalClips => Cameras.Sum(c => c.Clips);

    public TimeSpan TotalFootage => TimeSpan.FromTicks(Cameras.Sum(c => c.Footage.Ticks));

    public long TotalCiphertextBytes => Cameras.Sum(c => c.CiphertextBytes);
}

/// <summary>
/// One camera inside a window: clips overlapping it, footage time clipped to the window (overlapping clips counted
/// once), bytes of those clips (whole files: a partly covered clip is disclosed trimmed but read whole), and the gaps.
/// </summary>
public sealed record CameraPreview(
    string Camera,
    int Clips,
    TimeSpan Footage,
    long CiphertextBytes,
    long PlaintextBytes,
    IReadOnlyList<FootageGap> Gaps)
{
    public double Minutes => Footage.TotalMinutes;
}

/// <summary>
/// A stretch of the window without footage: a gap the recorder logged (with its cause), or a hole longer than
/// <see cref="ScopePreviewer.HoleThreshold"/> between clips (cause <see cref="NoClipCause"/>).
/// </summary>
public sealed record FootageGap(DateTimeOffset From, DateTimeOffset To, string Cause, bool Recorded)
{
    public const string NoClipCause = "no footage";

    public TimeSpan Length => To - From;
}
