using HomeVault.Core.Recorder;
using HomeVault.Recording.Cameras;
using HomeVault.Recording.Tests.Support;

namespace HomeVault.Recording.Tests.Cameras;

public sealed class RecordingTests(CamsimFixture camsim)
{
    [Fact]
    public async Task Two_cameras_record_concurrently_into_playable_clips_that_join_and_a_dead_one_disturbs_neither()
    {
        using var h = new Harness();
        await h.RecordAsync(TimeSpan.FromSeconds(16),
            Harness.Camera("cam1", camsim.Urls["cam1"]),
            Harness.Camera("cam2", camsim.Urls["cam2"]),
            Harness.Camera("dead", "rtsp://127.0.0.1:1/nothing"));

        foreach (var cam in new[] { "cam1", "cam2" })
        {
            var clips = h.Sink.For(cam);
            Assert.True(clips.Count >= 3, $"{cam}: {clips.Count} clips");
            Assert.All(clips, c => Assert.True(c.Completed, $"{c.Path} not completed"));
            for (var i = 0; i < clips.Count; i++)
            {
                var c = clips[i];
                var probed = Media.Duration(c.Path);
                Assert.InRange(probed, c.MediaDuration.TotalSeconds - 0.15, c.MediaDuration.TotalSeconds + 0.15);
                Assert.Equal("", Media.DecodeErrors(c.Path));
                Assert.InRange((c.End!.Value - c.Start).TotalSeconds, c.MediaDuration.TotalSeconds - 0.01, c.MediaDuration.TotalSeconds + 0.01);
                if (i > 0 && clips[i - 1].RunId == c.RunId)
                {
                    Assert.Equal(clips[i - 1].End, c.Start); // no hole, no overlap within a run
                }
            }
            // Clips are cut at the first fragment boundary after 4 s (fragments are 2 s here).
            Assert.All(clips.SkipLast(1), c => Assert.InRange(c.MediaDuration.TotalSeconds, 3.9, 6.1));
            var health = h.Health(cam);
            Assert.Equal(CameraState.Stopped, health.State);
            Assert.True(health.Clips >= clips.Count - 1);
            Assert.True(health.Bytes > 0);
            Assert.All(h.Journal.RunsOf(cam), r => Assert.Equal("cancelled", r.Reason));
        }

        // The dead camera's attempts deliver nothing, so they are no runs: one gap holds them all, with their count.
        Assert.Empty(h.Journal.RunsOf("dead"));
        var gap = Assert.Single(h.Journal.Gaps, g => g.Camera == "dead");
        Assert.Contains("Connection refused", gap.Cause, StringComparison.Ordinal);
        var attempts = int.Parse(System.Text.RegularExpressions.Regex.Match(gap.Cause, @"then (\d+) failed attempt").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(attempts >= 3, $"dead camera: {attempts} attempts (it should be retried)");
        Assert.True(attempts < 20, $"dead camera: {attempts} attempts (the retries should be paced)");
        h.AssertEverySecondAccounted("dead");
        Assert.Empty(h.Sink.For("dead"));
        Assert.Contains("Connection refused", h.Health("dead").LastError, StringComparison.Ordinal);
    }
}
