using HomeVault.Recording.Cameras;
using HomeVault.Recording.Tests.Support;

namespace HomeVault.Recording.Tests.Cameras;

/// <summary>The camera's clock against the recorder's: smoothed, and one warning when it is off by more than 2 s.</summary>
public sealed class CameraClockTests
{
    private static readonly DateTimeOffset Recorder = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Nothing_is_known_until_an_observation()
    {
        Assert.Null(new CameraClock("porch", new CapturingLogger<CameraClockTests>()).Seconds);
    }

    [Fact]
    public void The_first_observation_is_taken_as_is_and_later_ones_move_it_an_eighth_of_the_way()
    {
        var clock = new CameraClock("porch", new CapturingLogger<CameraClockTests>());
        clock.Observe(Recorder.AddSeconds(1), Recorder);
        Assert.Equal(1.0, clock.Seconds!.Value, 9);
        clock.Observe(Recorder.AddSeconds(-1), Recorder);
        Assert.Equal(0.75, clock.Seconds!.Value, 9);
    }

    [Fact]
    public void A_camera_clock_off_by_more_than_two_seconds_is_one_warning_naming_the_camera()
    {
        var logger = new CapturingLogger<CameraClockTests>();
        var clock = new CameraClock("porch", logger);
        clock.Observe(Recorder.AddSeconds(1.9), Recorder);
        Assert.Empty(logger.Lines);
        clock.Observe(Recorder.AddSeconds(-60), Recorder);
        clock.Observe(Recorder.AddSeconds(-60), Recorder);

        var warning = Assert.Single(logger.Lines, l => l.StartsWith("Warning:", StringComparison.Ordinal));
        Assert.StartsWith("Warning: Camera porch: its clock is -5.8 s off the recorder's", warning, StringComparison.Ordinal);
    }
}
