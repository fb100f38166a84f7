using System.Security.Cryptography;

namespace HomeVault.Recording.Cameras;

/// <summary>Exponential backoff with jitter: initial, doubling, capped; <see cref="Reset"/> after a healthy run.</summary>
public sealed class Backoff
{
    private readonly SupervisorSettings _settings;
    private TimeSpan _next;

    public Backoff(SupervisorSettings settings)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _next = settings.InitialBackoff;
    }

    public void Reset() => _next = _settings.InitialBackoff;

    /// <summary>The delay to wait now; doubles the following one.</summary>
    public TimeSpan Next()
    {
        var basis = _next;
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, _settings.MaxBackoff.Ticks));
        // Not security relevant, but RandomNumberGenerator keeps the analyzers quiet and costs nothing here.
        var unit = RandomNumberGenerator.GetInt32(-1000, 1001) / 1000.0;
        return basis + (basis * (_settings.Jitter * unit));
    }
}
