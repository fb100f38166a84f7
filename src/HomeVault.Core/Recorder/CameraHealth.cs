namespace HomeVault.Core.Recorder;

/// <summary>
/// A point-in-time view of one camera for <c>homevault cameras status</c>. Never holds credentials.
/// <see cref="GapSince"/> and <see cref="GapCause"/> describe the open gap while the camera is not recording;
/// <see cref="Ingest"/> says what records it: "native", "ffmpeg" or "ffmpeg (auto: WHY)".
/// </summary>
public sealed record CameraHealth(
    string Name,
    CameraState State,
    DateTimeOffset? LastFragmentAt,
    long Bytes,
    int Clips,
    int Runs,
    string? LastError,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? GapSince = null,
    string? GapCause = null,
    string? Ingest = null);
