using System.Globalization;
using System.Text;
using HomeVault.Core.IO;
using HomeVault.Recording.Configuration;

namespace HomeVault.Recording.Ffmpeg;

/// <summary>
/// How ffmpeg is told which camera to open. Without credentials the URL goes in argv. With credentials it goes
/// into a one-entry ffconcat list held in a memory file (memfd) that ffmpeg opens as <c>/proc/PID/fd/N</c>: the
/// password is not in /proc/PID/cmdline, ffmpeg's banner names the /proc path instead of the URL, and it never
/// touches a file system, so no kill -9 can leave it behind. Dispose closes it.
/// </summary>
public sealed class IngestInput : IDisposable
{
    /// <summary>How the memory file's name starts; a fresh suffix per input tells inputs apart in /proc/*/fd links.</summary>
    public const string MemoryFileName = "homevault-ingest";

    private readonly MemoryFile? _file;

    private IngestInput(IReadOnlyList<string> arguments, MemoryFile? file, SecretScrubber scrubber)
    {
        Arguments = arguments;
        _file = file;
        Scrubber = scrubber;
    }

    /// <summary>The input half of the command line, ending with <c>-i X</c>.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The /proc path of the ffconcat list holding the credentials, when there are any.</summary>
    public string? FilePath => _file?.Path;

    public SecretScrubber Scrubber { get; }

    public static IngestInput Create(string url, CameraCredentials? credentials, TransportMode transport, TimeSpan ioTimeout)
    {
        ArgumentNullException.ThrowIfNull(url);
        var timeoutUs = ((long)ioTimeout.TotalMicroseconds).ToString(CultureInfo.InvariantCulture);
        var lower = RtspTransport(transport);
        if (credentials is null)
        {
            return new IngestInput(["-rtsp_transport", lower, "-timeout", timeoutUs, "-i", url], null, SecretScrubber.None);
        }

        var scrubber = new SecretScrubber(credentials.Password);
        var builder = new UriBuilder(url)
        {
            // UriBuilder percent-encodes; ffmpeg's RTSP auth decodes userinfo, so ':' '@' '/' in a password are safe.
            UserName = Uri.EscapeDataString(credentials.User),
            Password = Uri.EscapeDataString(credentials.Password),
        };
        var withAuth = builder.Uri.AbsoluteUri;
        var text = new StringBuilder()
            .Append("ffconcat version 1.0\n")
            .Append("file '").Append(withAuth.Replace("'", @"'\''", StringComparison.Ordinal)).Append("'\n")
            .Append("option rtsp_transport ").Append(lower).Append('\n')
            .Append("option timeout ").Append(timeoutUs).Append('\n')
            .ToString();
        var file = MemoryFile.Create($"{MemoryFileName}-{Guid.NewGuid():N}", Encoding.UTF8.GetBytes(text));
        // ffmpeg 5.1 opens the /proc path with its file protocol, then the rtsp:// entry inside.
        return new IngestInput(
            ["-f", "concat", "-safe", "0", "-protocol_whitelist", "file,rtsp,rtsps,rtp,srtp,tcp,udp,tls,crypto", "-i", file.Path],
            file, scrubber);
    }

    /// <summary>
    /// ffmpeg's <c>-rtsp_transport</c>. For auto it is given both and tries them in its own order, UDP first (then TCP
    /// on a 461, or when no UDP packet arrives): ffmpeg records only cameras the native client does not, and those
    /// are the ones with audio to convert, whose transport ffmpeg finds for itself.
    /// </summary>
    private static string RtspTransport(TransportMode transport) => transport switch
    {
        TransportMode.Udp => "udp",
        TransportMode.Auto => "tcp+udp",
        _ => "tcp",
    };

    /// <summary>
    /// Deletes the ffconcat files earlier versions wrote into <c>homevault-ffmpeg-USER</c> under $XDG_RUNTIME_DIR
    /// or the temporary directory, which a kill -9 left behind with a camera password in them. Returns how
    /// many files went.
    /// </summary>
    public static int RemoveLegacyFiles()
    {
        var removed = 0;
        foreach (var parent in new[] { Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR"), Path.GetTempPath() })
        {
            if (string.IsNullOrEmpty(parent))
            {
                continue;
            }
            var dir = new DirectoryInfo(Path.Combine(parent, $"homevault-ffmpeg-{Environment.UserName}"));
            // A link there was not made by HomeVault (it made a real directory): never follow it.
            if (!dir.Exists || dir.LinkTarget is not null)
            {
                continue;
            }
            foreach (var file in dir.EnumerateFiles("in-*.ffconcat"))
            {
                file.Delete();
                removed++;
            }
            if (!dir.EnumerateFileSystemInfos().Any())
            {
                dir.Delete();
            }
        }
        return removed;
    }

    public void Dispose() => _file?.Dispose();
}
