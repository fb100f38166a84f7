using System.Globalization;
using System.Net;
using System.Net.Sockets;
using HomeVault.Recording.Ffmpeg;
using HomeVault.Recording.Processes;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Support;

/// <summary>
/// VLC's RTSP server (Debian's vlc-bin), the second RTSP implementation the native client is tested against, written
/// independently of camsim's GStreamer. It plays a file in a loop as one live broadcast: a client joins wherever the
/// broadcast is (<c>gather:</c> keeps clients across loops, with a burst of about 12 frames at each loop boundary);
/// it answers a TCP-interleaved SETUP with 461, so its RTP reaches a client over UDP only. VLC refuses to run as
/// root, so as root it runs as <c>nobody</c>, and the file must be readable by nobody.
/// </summary>
internal sealed class VlcServer : IDisposable
{
    public const string User = "viewer";

    private static readonly Lock FootageGate = new();

    private readonly ChildProcess _process;

    private VlcServer(ChildProcess process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    /// <summary>Serves <paramref name="file"/> at rtsp://127.0.0.1:PORT/cam once the port answers; with Basic auth for <see cref="User"/> when a password is given.</summary>
    /// <param name="sessionTimeout">Seconds without an RTSP request after which VLC ends a session (its default is 60).</param>
    public static VlcServer Start(string file, string? password = null, int? sessionTimeout = null)
    {
        var port = LoopbackPort.Closed();
        var url = string.Create(CultureInfo.InvariantCulture, $"rtsp://127.0.0.1:{port}/cam");
        List<string> vlc = [TestEnv.Tool("cvlc"), file, "--sout", $"#gather:rtp{{sdp={url}}}", "--sout-keep", "--loop"];
        if (password is not null)
        {
            // A test-only concession: VLC takes its RTSP credentials on argv only, where any local user can read
            // them. HomeVault never puts a camera password on argv; this password guards nothing but this test.
            vlc.AddRange(["--sout-rtsp-user", User, "--sout-rtsp-pwd", password]);
        }
        if (sessionTimeout is { } seconds)
        {
            vlc.AddRange(["--rtsp-timeout", seconds.ToString(CultureInfo.InvariantCulture)]);
        }
        var asRoot = Environment.UserName == "root";
        var process = ChildProcess.Start(asRoot ? TestEnv.Tool("runuser") : vlc[0], asRoot ? ["-u", "nobody", "--", .. vlc] : vlc[1..],
            new ChildOptions { Scrubber = password is null ? SecretScrubber.None : new SecretScrubber(password) });
        try
        {
            WaitForPort(process, port);
            return new VlcServer(process, url);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>Connects until the RTSP port accepts (VLC opens it once the stream is set up), failing if VLC ends first.</summary>
    private static void WaitForPort(ChildProcess process, int port)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                probe.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (!process.HasExited && DateTime.UtcNow < deadline)
            {
                // Refused at once while VLC starts: poll again once VLC has had a moment (not a timing assumption).
                process.WaitForExitAsync().Wait(TimeSpan.FromMilliseconds(100));
            }
            catch (SocketException)
            {
                Assert.Fail($"VLC's RTSP server did not open port {port}: {(process.HasExited ? "it exited: " : "")}{string.Join(" | ", process.Stderr.Snapshot())}");
            }
        }
    }

    /// <summary>
    /// 30 s of ffmpeg's moving test pattern ("h264" or "h265"), 640x360 at 15 fps, a keyframe every 30 frames, no
    /// B-frames: every frame differs, so two recordings can be lined up by their frames' MD5s, and it is longer than
    /// any recording here, so no loop boundary (and its burst) falls inside one. Made once, in a directory that
    /// <c>nobody</c> can read, kept between runs.
    /// </summary>
    public static string Footage(string codec)
    {
        var dir = Path.Combine(Path.GetTempPath(), "homevault-vlc-media");
        var path = Path.Combine(dir, $"testsrc-{codec}-30s.mp4");
        lock (FootageGate)
        {
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(dir);
                File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
                var partial = path + ".partial";
                string[] encoder = codec == "h265"
                    ? ["-c:v", "libx265", "-x265-params", "keyint=30:min-keyint=30:bframes=0:log-level=error", "-tag:v", "hvc1"]
                    : ["-c:v", "libx264", "-g", "30", "-bf", "0"];
                var (exit, _, stderr) = TestEnv.Run(TestEnv.Tool("ffmpeg"),
                    ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=15", "-t", "30", "-preset", "veryfast", "-pix_fmt", "yuv420p",
                     .. encoder, "-f", "mp4", partial], timeoutMs: 300_000);
                Assert.True(exit == 0, $"encoding the VLC footage: {stderr}");
                File.SetUnixFileMode(partial, (UnixFileMode)0b110_100_100);
                File.Move(partial, path, overwrite: true);
            }
        }
        return path;
    }

    /// <summary>Kills the tree (runuser and VLC).</summary>
    public void Dispose() => _process.Dispose();
}
