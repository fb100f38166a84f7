using System.Security.Cryptography;

namespace HomeVault.Recording.Cameras;

/// <summary>
/// When to try a camera again. A connection that delivered footage reconnects at once: cheap Wi-Fi cameras
/// drop and come back all day, and every second spent waiting is footage lost. Only attempts that deliver
/// nothing slow down: for <see cref="SupervisorSettings.FastRetryFor"/> of an outage the camera is tried
/// every <see cref="SupervisorSettings.InitialBackoff"/> (a refused connection costs little, and a flapping
/// camera is back within seconds), then the delay doubles up to <see cref="SupervisorSettings.MaxBackoff"/>.
/// Every delay carries jitter, so the cameras of one recorder do not reconnect in lockstep.
/// </summary>
public sealed class ReconnectPolicy
{
    private readonly SupervisorSettings _settings;
    private TimeSpan _next;

    public ReconnectPolicy(SupervisorSettings settings)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _next = settings.InitialBackoff;
    }

    /// <summary>The delay before the next attempt.</summary>
    /// <param name="deliveredFootage">Whether the attempt that just ended recorded anything.</param>
    /// <param name="outage">How long the camera has been without footage.</param>
    public TimeSpan Next(bool deliveredFootage, TimeSpan outage)
    {
        if (deliveredFootage)
        {
            _next = _settings.InitialBackoff;
            return TimeSpan.Zero;
        }
        if (outage < _settings.FastRetryFor)
        {
            return WithJitter(_settings.InitialBackoff);
        }
        var basis = _next;
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, _settings.MaxBackoff.Ticks));
        return WithJitter(basis);
    }

    private TimeSpan WithJitter(TimeSpan basis)
    {
        // Not security relevant, but RandomNumberGenerator keeps the analyzers quiet and costs nothing here.
        var unit = RandomNumberGenerator.GetInt32(-1000, 1001) / 1000.0;
        return basis + (basis * (_settings.Jitter * unit));
    }
}
