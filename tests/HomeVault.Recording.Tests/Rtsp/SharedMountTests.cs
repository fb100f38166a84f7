using System.Collections.Concurrent;
using HomeVault.Recording.Configuration;
using HomeVault.Recording.Simulation;
using HomeVault.Recording.Tests.Support;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Rtsp;

/// <summary>
/// camsim's <c>--shared-mount</c> (what the benchmark's find-max uses to serve many cameras cheaply): every mount joins
/// one playback, yet each client has a session and a stream of its own, so the recorder's work per camera is unchanged.
/// </summary>
public sealed class SharedMountTests
{
    [Fact]
    public async Task Shared_mounts_serve_independent_sessions_from_one_playback_joined_mid_stream_at_a_keyframe()
    {
        var camsimLog = new ConcurrentQueue<string>();
        using var camsim = CamsimProcess.Start(Path.Combine(TestEnv.RepoRoot, "tools", "camsim", "camsim.py"),
            CamsimFixture.SmallClips,
            ["--shared-mount", "first", "--shared-mount", "late", "--shared-mount", "viaffmpeg"],
            readyTimeout: TimeSpan.FromSeconds(180), onStderrLine: camsimLog.Enqueue);
        using var h = new Harness();
        using var stopFirst = new CancellationTokenSource();
        using var stopOthers = new CancellationTokenSource();

        var first = h.Start(Harness.Camera("first", camsim.Urls["first"], ingest: IngestMode.Native), stopFirst.Token);
        await Wait.Until(() => h.Sink.For("first").Count >= 1, "the first camera's first clip");
        // The playback has run for a clip (two GOPs): the next two join it mid-stream, one natively, one through ffmpeg.
        Task[] others =
        [
            h.Start(Harness.Camera("late", camsim.Urls["late"], ingest: IngestMode.Native), stopOthers.Token),
            h.Start(Harness.Camera("viaffmpeg", camsim.Urls["viaffmpeg"], ingest: IngestMode.Ffmpeg), stopOthers.Token),
        ];
        await Wait.Until(() => h.Sink.For("late").Count >= 1 && h.Sink.For("viaffmpeg").Count >= 1, "the late cameras' first clips", TimeSpan.FromSeconds(60));

        await stopFirst.CancelAsync();
        await first.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var firstStopped = DateTimeOffset.UtcNow;
        await Wait.Until(() => new[] { "late", "viaffmpeg" }.All(c => h.Sink.For(c).Any(clip => clip.Start > firstStopped)),
            "a clip begun after the first camera left, from each of the others", TimeSpan.FromSeconds(60));
        await stopOthers.CancelAsync();
        await Task.WhenAll(others).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Single(camsimLog, l => l.Contains("shared playback started", StringComparison.Ordinal));
        foreach (var camera in new[] { "first", "late", "viaffmpeg" })
        {
            var clips = h.Sink.For(camera);
            NativeIngestTests.AssertWholeClips(clips, "h264", "avc1");
            Assert.All(clips, c => Assert.True(Media.StartsAtKeyframe(c.Path), $"{c.Path} does not start at a keyframe"));
            // One connection each, ended by its own stop: the first camera leaving ended no other camera's stream.
            var run = Assert.Single(h.Journal.RunsOf(camera));
            Assert.Equal("cancelled", run.Reason);
        }
        Assert.Equal("native", h.Health("late").Ingest);
        Assert.Equal("ffmpeg", h.Health("viaffmpeg").Ingest);
    }
}
