namespace HomeVault.Recording.Cameras;

/// <summary>A point-in-time view of one camera for <c>homevault cameras status</c>. Never holds credentials.</summary>
public sealed record CameraHealth(
    string Name,
    CameraState State,
    DateTimeOffset? LastFragmentAt,
    long Bytes,
    int Clips,
    int Runs,
    string? LastError,
    DateTimeOffset? NextAttemptAt);
