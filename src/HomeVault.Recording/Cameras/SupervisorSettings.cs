namespace HomeVault.Recording.Cameras;

/// <summary>Knobs that are not per-camera configuration; defaults suit production, tests shorten them.</summary>
public sealed class SupervisorSettings
{
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>The delay between attempts that deliver nothing, during the first <see cref="FastRetryFor"/> of an outage.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Backoff jitter as a fraction of the delay (0.2 = ±20 %), so cameras on one NVR do not reconnect in lockstep.</summary>
    public double Jitter { get; set; } = 0.2;

    /// <summary>How long into an outage the camera is still tried every <see cref="InitialBackoff"/> before the delay grows.</summary>
    public TimeSpan FastRetryFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>While the disk is full and retention can free nothing, how often to look for room again.</summary>
    public TimeSpan DiskFullRetry { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long ffmpeg gets after <c>q</c> before its tree is killed.</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(5);

    public int StderrLines { get; set; } = 50;
}
