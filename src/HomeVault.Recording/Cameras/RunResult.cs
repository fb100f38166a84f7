namespace HomeVault.Recording.Cameras;

/// <summary>
/// How one ffmpeg run ended. <see cref="FootageStart"/>/<see cref="FootageEnd"/> are set when it delivered
/// footage (then it had a run row, <see cref="RunId"/>); a run that delivered nothing is a failed attempt.
/// </summary>
internal sealed record RunResult(
    string Reason,
    bool Reconfigure = false,
    bool CannotStart = false,
    bool DiskFull = false,
    long? RunId = null,
    DateTimeOffset? FootageStart = null,
    DateTimeOffset? FootageEnd = null)
{
    /// <summary>The reason of a run the recorder's stop ended: the plan, not a fault.</summary>
    public const string Cancelled = "cancelled";

    public bool Recorded => FootageEnd is not null;
}
