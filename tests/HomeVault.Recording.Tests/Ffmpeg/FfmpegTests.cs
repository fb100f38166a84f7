using HomeVault.Recording.Cameras;
using HomeVault.Recording.Configuration;
using HomeVault.Recording.Ffmpeg;
using HomeVault.Recording.Tests.Support;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Ffmpeg;

public sealed class FfmpegTests(CamsimFixture camsim)
{
    [Theory]
    [InlineData("Input #0, rtsp, from 'rtsp://admin:hunter2@10.0.0.5/s':", "Input #0, rtsp, from 'rtsp://***@10.0.0.5/s':")]
    [InlineData("[concat @ 0x1] Impossible to open 'rtsp://a%40b:hun%3Ater2@h/x'", "[concat @ 0x1] Impossible to open 'rtsp://***@h/x'")]
    [InlineData("password hunter2 echoed", "password *** echoed")]
    [InlineData("encoded hun%3Ater2 echoed", "encoded *** echoed")]
    [InlineData("nothing secret here", "nothing secret here")]
    public void Scrubber_removes_userinfo_and_raw_secrets(string line, string expected)
    {
        var s = new SecretScrubber("hunter2", "hun:ter2");
        Assert.Equal(expected, s.Scrub(line));
    }

    [Fact]
    public void Reconnect_is_immediate_after_footage_fast_early_in_an_outage_then_doubles_to_the_cap()
    {
        var p = new ReconnectPolicy(new SupervisorSettings
        {
            InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(8), Jitter = 0.2, FastRetryFor = TimeSpan.FromSeconds(30),
        });
        Assert.Equal(TimeSpan.Zero, p.Next(deliveredFootage: true, TimeSpan.Zero));
        // Early in an outage every attempt waits the initial delay, however many failed.
        for (var i = 0; i < 10; i++)
        {
            Assert.InRange(p.Next(false, TimeSpan.FromSeconds(i * 2)).TotalSeconds, 0.8 - 1e-9, 1.2 + 1e-9);
        }
        double[] expected = [1, 2, 4, 8, 8, 8];
        foreach (var e in expected)
        {
            Assert.InRange(p.Next(false, TimeSpan.FromMinutes(1)).TotalSeconds, e * 0.8 - 1e-9, e * 1.2 + 1e-9);
        }
        // Footage resets it all: at once, then the initial delay again.
        Assert.Equal(TimeSpan.Zero, p.Next(true, TimeSpan.FromMinutes(5)));
        Assert.InRange(p.Next(false, TimeSpan.FromMinutes(1)).TotalSeconds, 0.8 - 1e-9, 1.2 + 1e-9);
    }

    [Fact]
    public void Ingest_arguments_copy_video_and_adapt_audio_and_tags_to_the_stream()
    {
        using var input = IngestInput.Create("rtsp://127.0.0.1/x", null, TransportMode.Tcp, TimeSpan.FromSeconds(5));
        var plain = IngestCommand.Build(input, AudioMode.Copy, null);
        Assert.Equal(["-rtsp_transport", "tcp", "-timeout", "5000000", "-i", "rtsp://127.0.0.1/x"], plain.Skip(4).Take(6));
        Assert.Contains("+frag_keyframe+empty_moov+default_base_moof", plain);
        Assert.Equal("pipe:1", plain[^1]);
        Assert.Equal("copy", plain[plain.ToList().IndexOf("-c:a") + 1]);

        var g711 = IngestCommand.Build(input, AudioMode.Copy, new StreamFacts("h264", "pcm_alaw"));
        Assert.Equal("aac", g711[g711.ToList().IndexOf("-c:a") + 1]);
        var hevc = IngestCommand.Build(input, AudioMode.Drop, new StreamFacts("hevc", null));
        Assert.Equal("hvc1", hevc[hevc.ToList().IndexOf("-tag:v") + 1]);
        Assert.Contains("-an", hevc);

        var facts = new StreamFacts(null, null);
        facts = IngestCommand.Learn(facts, "  Stream #0:0: Video: hevc (Main), yuv420p(tv), 640x360, 15 fps");
        facts = IngestCommand.Learn(facts, "  Stream #0:1: Audio: pcm_mulaw, 8000 Hz, mono, s16, 64 kb/s");
        Assert.Equal(new StreamFacts("hevc", "pcm_mulaw"), facts);
    }

    [Fact]
    public void Credentialed_input_goes_through_a_memory_file_on_no_file_system_closed_on_dispose()
    {
        string path, memfd;
        using (var input = IngestInput.Create("rtsp://127.0.0.1:554/live", new CameraCredentials("admin", "it's:s3cret@"), TransportMode.Tcp, TimeSpan.FromSeconds(5)))
        {
            path = input.FilePath!;
            Assert.DoesNotContain(input.Arguments, a => a.Contains("s3cret", StringComparison.Ordinal));
            Assert.Equal(path, input.Arguments[^1]);
            // Not a file anywhere: this process's descriptor of an anonymous memory file, for the child to open.
            Assert.Matches($"^/proc/{Environment.ProcessId}/fd/[0-9]+$", path);
            memfd = OpenFiles.Target(path)!;
            Assert.StartsWith("/memfd:" + IngestInput.MemoryFileName + "-", memfd, StringComparison.Ordinal);
            var text = File.ReadAllText(path);
            Assert.Contains("file 'rtsp://admin:it%27s%3As3cret%40@127.0.0.1:554/live'", text, StringComparison.Ordinal);
            Assert.Contains("option rtsp_transport tcp", text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(memfd, OpenFiles.Targets());
    }

    [Fact]
    public async Task Stdout_is_a_one_mebibyte_pipe_whose_reads_complete_on_the_calling_thread()
    {
        // 40 raw 320x240 yuv420p frames: 3,072,000 bytes, three times the pipe, so ffmpeg blocks until we read.
        await using var p = FfmpegProcess.Start(TestEnv.Tool("ffmpeg"),
            ["-hide_banner", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-frames:v", "40", "-pix_fmt", "yuv420p", "-f", "rawvideo", "pipe:1"],
            SecretScrubber.None);
        Assert.Equal(FfmpegProcess.StdoutPipeBytes, p.StdoutPipeSize);
        var buffer = new byte[1 << 20];
        long total = 0;
        var threadId = Environment.CurrentManagedThreadId;
        while (true)
        {
            var read = p.StandardOutput.ReadAsync(buffer, TestContext.Current.CancellationToken);
            Assert.True(read.IsCompleted, "a read must finish before ReadAsync returns, on the reading thread");
            var n = await read; // completed: no thread switch
            Assert.Equal(threadId, Environment.CurrentManagedThreadId);
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        Assert.Equal(40L * 320 * 240 * 3 / 2, total);
        Assert.Equal(0, (await p.WaitForExitAsync(TestContext.Current.CancellationToken)).Code);
    }

    [Fact]
    public async Task Probe_reports_codecs_and_keeps_credentials_out()
    {
        var dir = TestEnv.NewTempDir("hv-probe");
        try
        {
            var cred = Path.Combine(dir, "c");
            File.WriteAllText(cred, $"{CamsimFixture.User}:{CamsimFixture.Password}");
            var ok = await CameraProbe.ProbeAsync(new CameraOptions { Name = "secure", Url = camsim.Urls["secure"], CredentialsFile = cred },
                TestEnv.Tool("ffprobe"), ct: TestContext.Current.CancellationToken);
            Assert.Equal(("h264", 640, 360), (ok.VideoCodec, ok.Width, ok.Height));
            Assert.InRange(ok.FrameRate, 14.9, 15.1);

            var audio = await CameraProbe.ProbeAsync(new CameraOptions { Name = "audio", Url = camsim.Urls["audio"] },
                TestEnv.Tool("ffprobe"), ct: TestContext.Current.CancellationToken);
            Assert.Equal("pcm_mulaw", audio.AudioCodec);

            File.WriteAllText(cred, $"{CamsimFixture.User}:s3cr3t-wrong");
            var e = await Assert.ThrowsAsync<CameraProbeException>(() => CameraProbe.ProbeAsync(
                new CameraOptions { Name = "secure", Url = camsim.Urls["secure"], CredentialsFile = cred }, TestEnv.Tool("ffprobe"),
                ct: TestContext.Current.CancellationToken));
            Assert.Contains("401", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cr3t", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
