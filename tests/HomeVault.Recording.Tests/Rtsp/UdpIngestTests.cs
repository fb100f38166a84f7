using HomeVault.Recording.Cameras;
using HomeVault.Recording.Configuration;
using HomeVault.Recording.Tests.Support;

namespace HomeVault.Recording.Tests.Rtsp;

/// <summary>
/// The native RTSP ingest with RTP over UDP, against two independent RTSP servers: camsim (GStreamer) and VLC,
/// which offers nothing but UDP. Each recording is checked against ffmpeg's of the same stream, frame by frame.
/// </summary>
public sealed class UdpIngestTests(CamsimFixture camsim)
{
    private static readonly TimeSpan Recording = TimeSpan.FromSeconds(12);

    private static CameraOptions Udp(string name, string url) => Harness.Camera(name, url, ingest: IngestMode.Native, transport: TransportMode.Udp);

    /// <summary>
    /// The frames of the clips of a camera's last run, in order. ffmpeg's first run of an H.265 camera may record a
    /// group before it is restarted with the hvc1 tag, and the next connection starts the stream anew.
    /// </summary>
    private static List<string> Frames(Harness h, string camera)
    {
        var clips = h.Sink.For(camera);
        return Media.FrameMd5s(clips.Where(c => c.RunId == clips[^1].RunId).Select(c => c.Path));
    }

    [Theory]
    [InlineData("cam1", "h264", "avc1")]
    [InlineData("hevc", "hevc", "hvc1")]
    public async Task Native_udp_on_camsim_records_whole_clips_with_the_frames_ffmpeg_records(string mount, string codec, string tag)
    {
        using var h = new Harness();
        await h.RecordAsync(Recording, Udp("udp", camsim.Urls[mount]), Harness.Camera("ffmpeg", camsim.Urls[mount], ingest: IngestMode.Ffmpeg));

        NativeIngestTests.AssertWholeClips(h.Sink.For("udp"), codec, tag);
        Assert.Equal("native (udp)", h.Health("udp").Ingest);
        Assert.Single(h.Journal.RunsOf("udp"));
        h.AssertEverySecondAccounted("udp");
        // camsim gives each client its clip from the first frame: both recordings start at frame 0.
        var (native, ffmpeg) = (Frames(h, "udp"), Frames(h, "ffmpeg"));
        var common = Math.Min(native.Count, ffmpeg.Count);
        Assert.True(common >= 60, $"native {native.Count} frames, ffmpeg {ffmpeg.Count}");
        Assert.Equal(ffmpeg.Take(common), native.Take(common));
    }

    [Theory]
    [InlineData("h264", "h264", "avc1")]
    [InlineData("h265", "hevc", "hvc1")]
    public async Task Native_udp_on_vlc_records_whole_clips_with_the_frames_ffmpeg_records(string file, string codec, string tag)
    {
        using var vlc = VlcServer.Start(VlcServer.Footage(file));
        using var h = new Harness();
        await h.RecordAsync(Recording, Udp("udp", vlc.Url), Harness.Camera("ffmpeg", vlc.Url, ingest: IngestMode.Ffmpeg, transport: TransportMode.Udp));

        NativeIngestTests.AssertWholeClips(h.Sink.For("udp"), codec, tag);
        Assert.Single(h.Journal.RunsOf("udp"));
        h.AssertEverySecondAccounted("udp");
        // A live broadcast: the two joined it at different frames. The footage is longer than the recording, so no
        // loop boundary (where VLC bursts) falls inside it; from the first frame both hold, they must agree.
        var (native, ffmpeg) = Overlap(Frames(h, "udp"), Frames(h, "ffmpeg"));
        Assert.True(native.Count >= 60, $"{native.Count} frames in common");
        Assert.Equal(ffmpeg, native);
    }

    [Fact]
    public async Task Native_udp_on_vlc_with_basic_auth_records_and_keeps_the_password_out_of_everything_said()
    {
        const string password = "vlc-B@sic:pw/9";
        using var vlc = VlcServer.Start(VlcServer.Footage("h264"), password);
        using var h = new Harness();
        var right = Path.Combine(h.Directory, "right.credentials");
        var wrong = Path.Combine(h.Directory, "wrong.credentials");
        File.WriteAllText(right, $"{VlcServer.User}:{password}\n");
        File.WriteAllText(wrong, $"{VlcServer.User}:not-it\n");
        await h.RecordAsync(TimeSpan.FromSeconds(8),
            Harness.Camera("basic", vlc.Url, credentialsFile: right, ingest: IngestMode.Native, transport: TransportMode.Udp),
            Harness.Camera("refused", vlc.Url, credentialsFile: wrong, ingest: IngestMode.Native, transport: TransportMode.Udp));

        NativeIngestTests.AssertWholeClips(h.Sink.For("basic"), "h264", "avc1");
        Assert.Empty(h.Sink.For("refused"));
        Assert.Contains("401", h.Health("refused").LastError, StringComparison.Ordinal);
        foreach (var line in h.Logger.Lines.Concat(h.Journal.Gaps.Select(g => g.Cause)).Append(h.Health("refused").LastError ?? ""))
        {
            Assert.DoesNotContain(password, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Keep_alives_hold_a_udp_session_open_past_the_servers_session_timeout()
    {
        // VLC ends a session that sends no RTSP request for 3 s; over UDP only keep-alives on the RTSP connection
        // say the client is there (every 1.5 s: half the timeout it announces).
        using var vlc = VlcServer.Start(VlcServer.Footage("h264"), sessionTimeout: 3);
        using var h = new Harness();
        // Without them the stream would stop 3 s in and the run end as a stall 8 s later, well inside 20 s.
        await h.RecordAsync(TimeSpan.FromSeconds(20), Udp("kept", vlc.Url));

        Assert.Equal(RunResult.Cancelled, Assert.Single(h.Journal.RunsOf("kept")).Reason);
        var clips = h.Sink.For("kept");
        NativeIngestTests.AssertWholeClips(clips, "h264", "avc1");
        var recorded = clips.Sum(c => c.MediaDuration.TotalSeconds);
        Assert.True(recorded >= 12, $"{recorded:0.0} s recorded");
        h.AssertEverySecondAccounted("kept");
    }

    [Fact]
    public async Task Auto_transport_on_vlc_ends_on_native_udp_and_says_so_while_tcp_only_names_the_461()
    {
        using var vlc = VlcServer.Start(VlcServer.Footage("h264"));
        using var h = new Harness();
        await h.RecordAsync(TimeSpan.FromSeconds(8),
            Harness.Camera("auto", vlc.Url, transport: TransportMode.Auto),
            Harness.Camera("tcp", vlc.Url));

        NativeIngestTests.AssertWholeClips(h.Sink.For("auto"), "h264", "avc1");
        Assert.Equal("native (udp: the camera refuses RTP over TCP)", h.Health("auto").Ingest);
        h.AssertEverySecondAccounted("auto");
        Assert.Empty(h.Sink.For("tcp"));
        Assert.Equal("native", h.Health("tcp").Ingest);
        Assert.Contains("461 Unsupported Transport): set its Transport to udp or auto", h.Health("tcp").LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lost_datagram_drops_its_group_whole_ends_the_run_and_leaves_a_gap_never_a_broken_clip()
    {
        await using var proxy = new UdpLossyProxy(camsim.Port, packet: 250);
        using var h = new Harness();
        await h.RecordAsync(TimeSpan.FromSeconds(14), Udp("lossy", proxy.Rewrite(camsim.Urls["cam1"])));

        Assert.True(proxy.Damaged);
        var runs = h.Journal.RunsOf("lossy");
        Assert.True(runs.Count >= 2, $"{runs.Count} runs");
        Assert.Contains("lost", runs[0].Reason, StringComparison.Ordinal);
        var gap = Assert.Single(h.Journal.Gaps, g => g.Camera == "lossy" && g.Cause.Contains("lost", StringComparison.Ordinal));
        Assert.True(gap.Until > gap.From);
        NativeIngestTests.AssertWholeClips(h.Sink.For("lossy"), "h264", "avc1");
        h.AssertEverySecondAccounted("lossy");
    }

    [Fact]
    public async Task Two_datagrams_out_of_order_are_put_back_in_order_and_the_run_goes_on()
    {
        await using var proxy = new UdpLossyProxy(camsim.Port, packet: 250, swap: true);
        using var h = new Harness();
        await h.RecordAsync(Recording, Udp("reordered", proxy.Rewrite(camsim.Urls["cam1"])));

        Assert.True(proxy.Damaged);
        Assert.Equal(RunResult.Cancelled, Assert.Single(h.Journal.RunsOf("reordered")).Reason);
        NativeIngestTests.AssertWholeClips(h.Sink.For("reordered"), "h264", "avc1");
        h.AssertEverySecondAccounted("reordered");
    }

    /// <summary>Both lists from the first frame of <paramref name="a"/> that <paramref name="b"/> also holds, cut to the same length (empty when none is shared).</summary>
    private static (List<string> A, List<string> B) Overlap(List<string> a, List<string> b)
    {
        var i = a.FindIndex(b.Contains);
        if (i < 0)
        {
            return ([], []);
        }
        var j = b.IndexOf(a[i]);
        var n = Math.Min(a.Count - i, b.Count - j);
        return (a.GetRange(i, n), b.GetRange(j, n));
    }
}
