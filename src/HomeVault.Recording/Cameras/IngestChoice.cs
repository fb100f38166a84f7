using HomeVault.Recording.Configuration;

namespace HomeVault.Recording.Cameras;

/// <summary>
/// Which ingest a camera's next run uses, kept across runs: native unless configured as ffmpeg, until a native run
/// finds a stream it does not record, after which <c>auto</c> stays with ffmpeg. Read for <c>cameras status</c>.
/// </summary>
internal sealed class IngestChoice(IngestMode mode)
{
    private volatile string? _fallback;
    private volatile string? _transport;

    public bool Native => mode != IngestMode.Ffmpeg && _fallback is null;

    /// <summary>"native", "native (udp...)", "ffmpeg", or "ffmpeg (auto: WHY)".</summary>
    public string Describe() => Native ? _transport is { } t ? $"native ({t})" : "native" : _fallback is { } why ? $"ffmpeg (auto: {why})" : "ffmpeg";

    /// <summary>A native run connected: over UDP (and why, on auto), or over TCP (null).</summary>
    public void Connected(string? transport) => _transport = transport;

    /// <summary>A native run met <paramref name="why"/>: true when the camera is now ffmpeg's (auto), false when it may not be (native).</summary>
    public bool FallBack(string why)
    {
        if (mode != IngestMode.Auto)
        {
            return false;
        }
        _fallback = why;
        return true;
    }
}
