namespace HomeVault.Recording.Configuration;

public sealed class CameraOptions
{
    /// <summary>Safe identifier (^[a-z0-9][a-z0-9_-]{0,31}$), used in paths and the catalog.</summary>
    public string Name { get; set; } = "";

    /// <summary>rtsp:// or rtsps:// URL without userinfo; credentials live in <see cref="CredentialsFile"/>.</summary>
    public string Url { get; set; } = "";

    /// <summary>Optional file holding <c>user:password</c> (one line), readable only by the service.</summary>
    public string? CredentialsFile { get; set; }

    public int ClipSeconds { get; set; } = 60;

    public AudioMode Audio { get; set; } = AudioMode.Copy;

    /// <summary>Native RTSP client or ffmpeg; <c>auto</c> picks native where the stream allows it.</summary>
    public IngestMode Ingest { get; set; } = IngestMode.Auto;

    /// <summary>RTP over the RTSP connection (tcp), over UDP, or TCP falling back to UDP (auto).</summary>
    public TransportMode Transport { get; set; } = TransportMode.Tcp;

    /// <summary>
    /// For an rtsps:// camera with a self-signed certificate: the SHA-256 fingerprint (hex, colons allowed) of the one
    /// certificate to accept. Without it the certificate must chain to the system's trust store and name the URL's host.
    /// Checked by the native client only, so a pinned camera is never handed to ffmpeg.
    /// </summary>
    public string? TlsFingerprint { get; set; }

    /// <summary>Per-camera retention in days; null = the global <see cref="RetentionOptions.Days"/>.</summary>
    public int? RetainDays { get; set; }

    /// <summary>No bytes from ffmpeg for this long = stalled: kill and reconnect.</summary>
    public int StallSeconds { get; set; } = 20;
}
