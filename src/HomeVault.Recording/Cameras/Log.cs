using Microsoft.Extensions.Logging;

namespace HomeVault.Recording.Cameras;

/// <summary>Source-generated log messages. Every string argument is already scrubbed of credentials.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Camera {Camera}: run {RunId} started (ffmpeg pid {Pid})")]
    public static partial void RunStarted(ILogger logger, string camera, long runId, int pid);

    [LoggerMessage(2, LogLevel.Information, "Camera {Camera}: recording (first fragment of run {RunId})")]
    public static partial void Recording(ILogger logger, string camera, long runId);

    [LoggerMessage(3, LogLevel.Warning, "Camera {Camera}: run {RunId} ended after {Clips} clips: {Reason}")]
    public static partial void RunEnded(ILogger logger, string camera, long runId, int clips, string reason);

    [LoggerMessage(4, LogLevel.Information, "Camera {Camera}: next attempt in {Delay}")]
    public static partial void BackingOff(ILogger logger, string camera, TimeSpan delay);

    [LoggerMessage(5, LogLevel.Warning, "Camera {Camera}: gap {From:o} .. {To:o}: {Cause}")]
    public static partial void Gap(ILogger logger, string camera, DateTimeOffset from, DateTimeOffset to, string cause);

    [LoggerMessage(6, LogLevel.Error, "Camera {Camera}: cannot start: {Error}")]
    public static partial void CannotStart(ILogger logger, string camera, string error);

    [LoggerMessage(7, LogLevel.Information, "Camera {Camera}: stream facts changed (video {Video}, audio {Audio}); restarting with matching arguments")]
    public static partial void Reconfigure(ILogger logger, string camera, string? video, string? audio);

    [LoggerMessage(8, LogLevel.Debug, "Camera {Camera} ffmpeg: {Line}")]
    public static partial void FfmpegLine(ILogger logger, string camera, string line);

    [LoggerMessage(9, LogLevel.Error, "Camera {Camera}: supervisor error (contained): {Error}")]
    public static partial void SupervisorError(ILogger logger, string camera, string error);
}
