using HomeVault.Recording.Configuration;
using HomeVault.Recording.Tests.Support;

namespace HomeVault.Recording.Tests.Rtsp;

/// <summary>
/// The camera's clock from its RTCP sender reports, against camsim: GStreamer's RTSP server sends them with the host's
/// own clock as NTP, so the camera's clock must come out at the recorder's, within network and fragment latency.
/// </summary>
public sealed class SenderReportTests(CamsimFixture camsim)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(TransportMode.Tcp)]
    [InlineData(TransportMode.Udp)]
    public async Task A_native_camera_knows_its_clock_from_sender_reports_and_camsim_agrees_with_the_recorder(TransportMode transport)
    {
        using var h = new Harness();
        await h.RecordUntilAsync(() => h.Health("cam").CameraClockSeconds is not null, Limit,
            Harness.Camera("cam", camsim.Urls["cam1"], ingest: IngestMode.Native, transport: transport));

        var health = h.Health("cam");
        var offset = health.CameraClockSeconds ?? throw new Xunit.Sdk.XunitException($"no sender report within {Limit.TotalSeconds} s");
        Assert.True(Math.Abs(offset) < 1, $"camsim's clock is {offset:0.000} s off the recorder's, which share the host's clock");
        TestContext.Current.TestOutputHelper?.WriteLine($"camsim over {transport}: camera clock {offset:+0.000;-0.000} s");
        Assert.Matches(@"^camera clock [+-]0\.\d s$", health.DescribeClock());
        Assert.DoesNotContain(h.Logger.Lines, l => l.Contains("its clock is", StringComparison.Ordinal));
        NativeIngestTests.AssertWholeClips(h.Sink.For("cam"), "h264", "avc1");
        h.AssertEverySecondAccounted("cam");
    }

    [Fact]
    public async Task A_camera_recorded_through_ffmpeg_has_no_camera_clock()
    {
        using var h = new Harness();
        // ffmpeg does not pass the sender reports on: once both record and the native camera beside it knows its clock,
        // the ffmpeg camera still has none.
        await h.RecordUntilAsync(() => h.Health("native").CameraClockSeconds is not null && h.Health("ffmpeg").Bytes > 0, Limit,
            Harness.Camera("native", camsim.Urls["cam1"], ingest: IngestMode.Native),
            Harness.Camera("ffmpeg", camsim.Urls["cam1"], ingest: IngestMode.Ffmpeg));

        Assert.NotNull(h.Health("native").CameraClockSeconds);
        Assert.True(h.Health("ffmpeg").Bytes > 0, "the ffmpeg camera never recorded");
        Assert.Null(h.Health("ffmpeg").CameraClockSeconds);
        Assert.Null(h.Health("ffmpeg").DescribeClock());
    }
}
