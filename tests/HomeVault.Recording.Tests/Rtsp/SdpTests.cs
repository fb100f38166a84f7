using HomeVault.Recording.Rtsp;

namespace HomeVault.Recording.Tests.Rtsp;

public sealed class SdpTests
{
    /// <summary>camsim's (GStreamer RTSP server's) answer to DESCRIBE on its G.711 mount, as captured.</summary>
    private const string CamsimAudio = """
        v=0
        o=- 7061984983675462317 1 IN IP4 127.0.0.1
        s=Session streamed with GStreamer
        i=rtsp-server
        t=0 0
        a=tool:GStreamer
        a=type:broadcast
        a=control:*
        a=range:npt=now-
        m=video 0 RTP/AVP 96
        c=IN IP4 0.0.0.0
        a=rtpmap:96 H264/90000
        a=framerate:15
        a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z2QAFqy0BQF/y4CIAAADAAgAAAMA8HixdQ==,aO88sA==;profile-level-id=640016;level-asymmetry-allowed=1
        a=control:stream=0
        a=ts-refclk:local
        a=mediaclk:sender
        a=ssrc:1279607635 cname:user1420854865@host-ed6bfd4a
        m=audio 0 RTP/AVP 0
        c=IN IP4 0.0.0.0
        b=AS:64
        a=rtpmap:0 PCMU/8000
        a=control:stream=1
        a=ts-refclk:local
        a=mediaclk:sender
        a=ssrc:1600854643 cname:user1420854865@host-ed6bfd4a
        """;

    /// <summary>camsim's H.265 mount.</summary>
    private const string CamsimHevc = """
        v=0
        o=- 13865412575176855338 1 IN IP4 127.0.0.1
        s=Session streamed with GStreamer
        t=0 0
        a=control:*
        m=video 0 RTP/AVP 96
        c=IN IP4 0.0.0.0
        a=rtpmap:96 H265/90000
        a=framerate:15
        a=fmtp:96 sprop-vps=QAEMAf//AWAAAAMAkAAAAwAAAwA/ugJA;sprop-sps=QgEBAWAAAAMAkAAAAwAAAwA/oAUCAXHy5bpKTC8BaAgAAAMACAAAAwB4QA==;sprop-pps=RAHAc8GJ
        a=control:stream=0
        """;

    [Fact]
    public void Camsim_sdp_gives_both_media_with_codecs_clocks_parameter_sets_and_controls()
    {
        var sdp = Sdp.Parse(CamsimAudio.Replace("\n", "\r\n", StringComparison.Ordinal));
        Assert.Equal("*", sdp.Control);
        Assert.Equal(2, sdp.Media.Count);
        var video = sdp.Media[0];
        Assert.Equal(("video", 96, "H264", 90000, "stream=0"), (video.Type, video.PayloadType, video.Encoding, video.ClockRate, video.Control));
        Assert.Equal("Z2QAFqy0BQF/y4CIAAADAAgAAAMA8HixdQ==,aO88sA==", video.Parameter("SPROP-PARAMETER-SETS"));
        Assert.Equal("1", video.Parameter("packetization-mode"));
        var audio = sdp.Media[1];
        Assert.Equal(("audio", 0, "PCMU", 8000, "stream=1"), (audio.Type, audio.PayloadType, audio.Encoding, audio.ClockRate, audio.Control));
    }

    [Fact]
    public void Camsim_h265_parameter_sets_give_an_hvcc_with_the_picture_size()
    {
        var video = Assert.Single(Sdp.Parse(CamsimHevc).Media);
        var config = VideoConfig.H265(Convert.FromBase64String(video.Parameter("sprop-vps")!), Convert.FromBase64String(video.Parameter("sprop-sps")!),
            Convert.FromBase64String(video.Parameter("sprop-pps")!));
        Assert.Equal(("hvc1", "hvcC", 640, 360), (config.SampleEntry, config.ConfigBox, config.Width, config.Height));
        Assert.Equal(1, config.Record[0]); // configurationVersion
        Assert.Equal(3, config.Record[22]); // three arrays: VPS, SPS, PPS
    }

    [Fact]
    public void Camsim_h264_parameter_sets_give_an_avcc_with_the_picture_size()
    {
        var sets = Sdp.Parse(CamsimAudio).Media[0].Parameter("sprop-parameter-sets")!.Split(',').Select(Convert.FromBase64String).ToArray();
        var config = VideoConfig.H264(sets[0], sets[1]);
        Assert.Equal(("avc1", "avcC", 640, 360), (config.SampleEntry, config.ConfigBox, config.Width, config.Height));
        Assert.Equal(new byte[] { 1, 0x64, 0x00, 0x16, 0xFF, 0xE1 }, config.Record[..6]);
    }

    [Theory]
    [InlineData("rtsp://cam/live/", "*", "rtsp://cam/live/")]
    [InlineData("rtsp://cam/live/", "stream=0", "rtsp://cam/live/stream=0")]
    [InlineData("rtsp://cam/live", "trackID=1", "rtsp://cam/live/trackID=1")]
    [InlineData("rtsp://cam/live", "rtsp://other:8554/x/track1", "rtsp://other:8554/x/track1")]
    [InlineData("rtsp://cam/live", null, "rtsp://cam/live")]
    public void Control_urls_resolve_against_the_base(string baseUrl, string? control, string expected) =>
        Assert.Equal(expected, Sdp.Resolve(baseUrl, control));

    [Fact]
    public void A_media_line_that_is_not_one_is_named()
    {
        var e = Assert.Throws<InvalidDataException>(() => Sdp.Parse("v=0\r\nm=video 0\r\n"));
        Assert.Contains("m=video 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Digest_challenge_parameters_keep_quoted_commas()
    {
        var p = RtspAuthenticator.Parameters("realm=\"a, b\", nonce=\"n1\", qop=\"auth,auth-int\", algorithm=MD5");
        Assert.Equal("a, b", p["realm"]);
        Assert.Equal("n1", p["nonce"]);
        Assert.Equal("auth,auth-int", p["qop"]);
        Assert.Equal("MD5", p["ALGORITHM"]);
    }

    [Fact]
    public void Digest_response_matches_rfc_2617_worked_example()
    {
        // RFC 2617 3.5's challenge, without qop: response = MD5(MD5(user:realm:password):nonce:MD5(method:uri)),
        // the value below computed independently (Python's hashlib).
        var auth = new RtspAuthenticator(new HomeVault.Recording.Configuration.CameraCredentials("Mufasa", "Circle Of Life"));
        Assert.True(auth.Challenge(["Digest realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""]));
        var header = auth.Authorization("GET", "/dir/index.html")!;
        Assert.Contains("response=\"670fd8c2df070c60b045671b8b24ff02\"", header, StringComparison.Ordinal);
        Assert.Contains("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"", header, StringComparison.Ordinal);
    }
}
