namespace HomeVault.Recording.Cameras;

/// <summary>Knobs that are not per-camera configuration; defaults suit production, tests shorten them.</summary>
public sealed class SupervisorSettings
{
    public string FfmpegPath { get; set; } = "ffmpeg";

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Backoff jitter as a fraction of the delay (0.2 = ±20 %), so cameras on one NVR do not reconnect in lockstep.</summary>
    public double Jitter { get; set; } = 0.2;

    /// <summary>A run that recorded this long resets the backoff.</summary>
    public TimeSpan HealthyRun { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long ffmpeg gets after <c>q</c> before its tree is killed.</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(5);

    public int StderrLines { get; set; } = 50;
}
