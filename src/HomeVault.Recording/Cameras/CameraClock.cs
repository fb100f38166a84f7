using Microsoft.Extensions.Logging;

namespace HomeVault.Recording.Cameras;

/// <summary>
/// How far a natively recorded camera's own clock (its RTCP sender reports) is from the recorder's, kept across runs
/// for <c>cameras status</c>: camera minus recorder, smoothed over fragments. Clips stay on the recorder's clock; this
/// only says how far the time the camera shows in its picture is off. One warning per camera once it is off by more
/// than <see cref="WarnAbove"/>.
/// </summary>
internal sealed class CameraClock(string camera, ILogger logger)
{
    /// <summary>Beyond this, an owner comparing the camera's on-screen time with a clip's time is told in the log.</summary>
    public static readonly TimeSpan WarnAbove = TimeSpan.FromSeconds(2);

    /// <summary>Each fragment moves the smoothed offset an eighth of the way: network jitter fades, a stepped camera clock shows within seconds.</summary>
    private const double Weight = 1.0 / 8;

    private readonly Lock _gate = new();
    private double? _seconds;
    private bool _warned;

    /// <summary>Camera minus recorder, in seconds; null until a sender report was seen.</summary>
    public double? Seconds
    {
        get
        {
            lock (_gate)
            {
                return _seconds;
            }
        }
    }

    /// <summary>The camera's time and the recorder's for the same frame.</summary>
    public void Observe(DateTimeOffset cameraTime, DateTimeOffset recorderTime)
    {
        var offset = (cameraTime - recorderTime).TotalSeconds;
        double smoothed;
        bool warn;
        lock (_gate)
        {
            smoothed = _seconds is { } s ? s + (Weight * (offset - s)) : offset;
            _seconds = smoothed;
            warn = !_warned && Math.Abs(smoothed) > WarnAbove.TotalSeconds;
            _warned |= warn;
        }
        if (warn)
        {
            Log.CameraClockOff(logger, camera, smoothed);
        }
    }
}
