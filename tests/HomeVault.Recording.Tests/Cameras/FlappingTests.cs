using System.Collections.Concurrent;
using HomeVault.Recording.Cameras;
using HomeVault.Recording.Simulation;
using HomeVault.Recording.Tests.Support;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Cameras;

/// <summary>
/// A cheap Wi-Fi camera that is up 5 s and down 5 s, all day: the common case, not an edge. With the
/// production reconnect policy (not the tests' fast settings) most of its up time must be footage.
/// </summary>
public sealed class FlappingTests : IDisposable
{
    private readonly ConcurrentQueue<(DateTimeOffset At, bool Up)> _phases = new();
    private readonly CamsimProcess _cams;

    public FlappingTests()
    {
        _cams = CamsimProcess.Start(Path.Combine(TestEnv.RepoRoot, "tools", "camsim", "camsim.py"),
            new CamsimSettings
            {
                Size = "640x360", Fps = 15, Seconds = 120, Bitrate = "600k", Gop = 15,
                CacheDirectory = Path.Combine(Path.GetTempPath(), "homevault-camsim-cache"),
            },
            ["--flap-mount", "wifi", "--flap-up", "5", "--flap-down", "5"],
            readyTimeout: TimeSpan.FromSeconds(180),
            onStderrLine: line =>
            {
                // camsim logs each switch as it makes it: "camsim: flap: /wifi down" / "... up".
                if (line.Contains("flap: /wifi ", StringComparison.Ordinal))
                {
                    _phases.Enqueue((DateTimeOffset.UtcNow, line.EndsWith(" up", StringComparison.Ordinal)));
                }
            });
        _phases.Enqueue((DateTimeOffset.UtcNow, true)); // served from the start
    }

    public void Dispose() => _cams.Dispose();

    [Fact]
    public async Task At_least_70_percent_of_a_flapping_cameras_up_time_is_recorded_and_every_second_is_accounted_for()
    {
        using var h = new Harness(new SupervisorSettings { FfmpegPath = TestEnv.Tool("ffmpeg") });
        await h.RecordAsync(TimeSpan.FromSeconds(60), Harness.Camera("wifi", _cams.Urls["wifi"], clipSeconds: 10));

        var up = UpTime(h.StartedAt, h.StopRequestedAt);
        var recorded = h.Sink.For("wifi").Aggregate(TimeSpan.Zero, (t, c) => t + c.MediaDuration);
        var share = recorded / up;
        TestContext.Current.SendDiagnosticMessage($"flapping camera: {recorded.TotalSeconds:0.0} s recorded of {up.TotalSeconds:0.0} s up ({share:P0})");
        Assert.True(share >= 0.70, $"only {share:P0} of the up time recorded ({recorded.TotalSeconds:0.0} s of {up.TotalSeconds:0.0} s)");
        Assert.True(h.Sink.For("wifi").Select(c => c.RunId).Distinct().Count() >= 4, "expected a run per up phase");
        h.AssertEverySecondAccounted("wifi");
        Assert.All(h.Sink.For("wifi").Where(c => c.Completed), c => Assert.Equal("", Media.DecodeErrors(c.Path)));
    }

    /// <summary>How long the camera was up between <paramref name="from"/> and <paramref name="until"/>, from camsim's own switches.</summary>
    private TimeSpan UpTime(DateTimeOffset from, DateTimeOffset until)
    {
        var phases = _phases.OrderBy(p => p.At).ToList();
        var total = TimeSpan.Zero;
        for (var i = 0; i < phases.Count; i++)
        {
            if (!phases[i].Up)
            {
                continue;
            }
            var a = phases[i].At > from ? phases[i].At : from;
            var b = i + 1 < phases.Count && phases[i + 1].At < until ? phases[i + 1].At : until;
            if (b > a)
            {
                total += b - a;
            }
        }
        return total;
    }
}
