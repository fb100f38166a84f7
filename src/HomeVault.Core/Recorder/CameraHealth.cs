using System.Globalization;

namespace HomeVault.Core.Recorder;

/// <summary>
/// A point-in-time view of one camera for <c>homevault cameras status</c>. Never holds credentials.
/// <see cref="GapSince"/> and <see cref="GapCause"/> describe the open gap while the camera is not recording;
/// <see cref="Ingest"/> says what records it: "native", "ffmpeg" or "ffmpeg (auto: WHY)"; <see cref="CameraClockSeconds"/>,
/// for a native camera once its RTCP sender reports arrived, how far its own clock (the time in its picture) is ahead
/// of the recorder's, which clips keep (negative: behind). ffmpeg does not pass the reports on: null there.
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
    string? Ingest = null,
    double? CameraClockSeconds = null)
{
    /// <summary>"camera clock +3.2 s" once the camera's clock is known, else null.</summary>
    public string? DescribeClock() =>
        CameraClockSeconds is { } s ? string.Create(CultureInfo.InvariantCulture, $"camera clock {(s < 0 ? '-' : '+')}{Math.Abs(s):0.0} s") : null;
}
