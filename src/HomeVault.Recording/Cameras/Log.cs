using Microsoft.Extensions.Logging;

namespace HomeVault.Recording.Cameras;

/// <summary>Source-generated log messages. Every string argument is already scrubbed of credentials.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Camera {Camera}: connecting ({Ingest} in pid {Pid})")]
    public static partial void AttemptStarted(ILogger logger, string camera, string ingest, int pid);

    [LoggerMessage(2, LogLevel.Information, "Camera {Camera}: recording (first fragment of run {RunId})")]
    public static partial void Recording(ILogger logger, string camera, long runId);

    [LoggerMessage(3, LogLevel.Warning, "Camera {Camera}: run {RunId} ended after {Clips} clips: {Reason}")]
    private static partial void RunEndedUnexpectedly(ILogger logger, string camera, long runId, int clips, string reason);

    [LoggerMessage(10, LogLevel.Information, "Camera {Camera}: run {RunId} ended after {Clips} clips: recorder stopping")]
    private static partial void RunEndedOnStop(ILogger logger, string camera, long runId, int clips);

    /// <summary>A run ending because the recorder stops is the plan, not a warning.</summary>
    public static void RunEnded(ILogger logger, string camera, long runId, int clips, string reason)
    {
        if (reason == RunResult.Cancelled)
        {
            RunEndedOnStop(logger, camera, runId, clips);
        }
        else
        {
            RunEndedUnexpectedly(logger, camera, runId, clips, reason);
        }
    }

    [LoggerMessage(4, LogLevel.Information, "Camera {Camera}: next attempt in {Seconds:0.0} s")]
    public static partial void BackingOff(ILogger logger, string camera, double seconds);

    [LoggerMessage(5, LogLevel.Warning, "Camera {Camera}: gap {From:o} .. {To:o}: {Cause}")]
    private static partial void GapWarning(ILogger logger, string camera, DateTimeOffset from, DateTimeOffset to, string cause);

    [LoggerMessage(13, LogLevel.Information, "Camera {Camera}: gap {From:o} .. {To:o}: {Cause}")]
    private static partial void GapExpected(ILogger logger, string camera, DateTimeOffset from, DateTimeOffset to, string cause);

    /// <summary>
    /// The moments before a camera's first fragment and after its last at a clean stop are gaps like any other in
    /// the books, but expected ones: a warning at every start and stop would teach owners to ignore the real ones.
    /// </summary>
    public static void Gap(ILogger logger, string camera, DateTimeOffset from, DateTimeOffset to, string cause)
    {
        if (cause is GapTracker.StartCause or RunResult.Cancelled)
        {
            GapExpected(logger, camera, from, to, cause);
        }
        else
        {
            GapWarning(logger, camera, from, to, cause);
        }
    }

    [LoggerMessage(6, LogLevel.Error, "Camera {Camera}: cannot start: {Error}")]
    public static partial void CannotStart(ILogger logger, string camera, string error);

    [LoggerMessage(7, LogLevel.Information, "Camera {Camera}: stream facts changed (video {Video}, audio {Audio}); restarting with matching arguments")]
    public static partial void Reconfigure(ILogger logger, string camera, string? video, string? audio);

    [LoggerMessage(8, LogLevel.Debug, "Camera {Camera} ffmpeg: {Line}")]
    public static partial void FfmpegLine(ILogger logger, string camera, string line);

    [LoggerMessage(9, LogLevel.Error, "Camera {Camera}: supervisor error (contained): {Error}")]
    public static partial void SupervisorError(ILogger logger, string camera, string error);

    [LoggerMessage(11, LogLevel.Error, "Camera {Camera}: not recording: {Problem}")]
    public static partial void DiskFull(ILogger logger, string camera, string problem);

    [LoggerMessage(12, LogLevel.Error, "Camera {Camera}: the catalog could not record a run or gap now (kept and retried): {Error}")]
    public static partial void JournalFailed(ILogger logger, string camera, string error);

    [LoggerMessage(14, LogLevel.Warning, "Camera {Camera}: its clock is {Seconds:+0.0;-0.0} s off the recorder's (RTCP sender reports); clips keep the recorder's time, the picture shows the camera's")]
    public static partial void CameraClockOff(ILogger logger, string camera, double seconds);
}
