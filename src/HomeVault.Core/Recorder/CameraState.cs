namespace HomeVault.Core.Recorder;

public enum CameraState
{
    /// <summary>ffmpeg started, no fragment yet.</summary>
    Connecting,

    /// <summary>Fragments are arriving and being written.</summary>
    Recording,

    /// <summary>The last run ended; waiting before the next attempt.</summary>
    Backoff,

    /// <summary>Cannot even try (e.g. unreadable credentials file); retried at the backoff cap.</summary>
    Failed,

    /// <summary>The disk is full and retention can free nothing (footage on legal hold); looked at again every few seconds.</summary>
    DiskFull,

    /// <summary>The supervisor has stopped (shutdown).</summary>
    Stopped,
}
