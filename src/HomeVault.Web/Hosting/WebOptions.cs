namespace HomeVault.Web.Hosting;

/// <summary>The <c>Http</c> configuration section: listeners, limits, the console's auto-lock and webhooks.</summary>
public sealed class WebOptions
{
    public const string SectionName = "Http";

    /// <summary>Where requesters submit and download (';'-separated http:// URLs; port 0 picks a free port).</summary>
    public string IntakeUrls { get; set; } = "http://0.0.0.0:8640";

    /// <summary>The owners' console, /metrics and /healthz; keep it on loopback or a trusted LAN.</summary>
    public string ConsoleUrls { get; set; } = "http://127.0.0.1:8641";

    /// <summary>
    /// The intake's address as requesters reach it (e.g. <c>https://vault.example.org/</c> behind a reverse proxy),
    /// used in the download links the console shows owners. Empty: the first intake listener's address.
    /// </summary>
    public string PublicIntakeUrl { get; set; } = "";

    /// <summary>Intake requests (submissions and downloads) per client address per minute before 429.</summary>
    public int IntakePermitsPerMinute { get; set; } = 60;

    /// <summary>The console locks itself (forgetting the unlocked identity) after this many idle minutes.</summary>
    public int ConsoleIdleMinutes { get; set; } = 10;

    /// <summary>The owners' time zone: the console's days and clock times, and the times they type (IANA name, e.g. Europe/Berlin); empty: the system's.</summary>
    public string TimeZone { get; set; } = "";

    /// <summary>
    /// Addresses of reverse proxies whose <c>X-Forwarded-For</c>/<c>-Proto</c> are believed, so rate limits, audit
    /// entries and the console cookie's Secure flag see the real client. Empty: the headers are ignored.
    /// </summary>
    public IList<string> TrustedProxies { get; } = [];

    /// <summary>URLs that receive a JSON POST on a new request, a release about to expire, or a camera fault.</summary>
    public IList<string> Webhooks { get; } = [];

    /// <summary>The configured <see cref="TimeZone"/>; false when this system does not know it.</summary>
    public bool TryGetZone(out TimeZoneInfo zone)
    {
        if (TimeZone.Length == 0)
        {
            zone = TimeZoneInfo.Local;
            return true;
        }
        return TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out zone!);
    }

    /// <summary>The configured time zone (validated at startup).</summary>
    public TimeZoneInfo Zone() => TryGetZone(out var zone) ? zone : TimeZoneInfo.Utc;
}
