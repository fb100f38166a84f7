using System.Globalization;
using System.Text;
using HomeVault.Recording.Configuration;

namespace HomeVault.Recording.Ffmpeg;

/// <summary>
/// How ffmpeg is told which camera to open. Without credentials the URL goes in argv. With
/// credentials it goes into a one-entry ffconcat file (mode 0600, in a private 0700 directory
/// under $XDG_RUNTIME_DIR or the temp dir) so the password is not in /proc/PID/cmdline, and
/// ffmpeg's own banner names the file instead of the URL. The file is deleted on dispose.
/// </summary>
public sealed class IngestInput : IDisposable
{
    private IngestInput(IReadOnlyList<string> arguments, string? file, SecretScrubber scrubber)
    {
        Arguments = arguments;
        FilePath = file;
        Scrubber = scrubber;
    }

    /// <summary>The input half of the command line, ending with <c>-i X</c>.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The ffconcat file holding the credentials, when there are any.</summary>
    public string? FilePath { get; }

    public SecretScrubber Scrubber { get; }

    public static IngestInput Create(string url, CameraCredentials? credentials, TimeSpan ioTimeout)
    {
        ArgumentNullException.ThrowIfNull(url);
        var timeoutUs = ((long)ioTimeout.TotalMicroseconds).ToString(CultureInfo.InvariantCulture);
        if (credentials is null)
        {
            return new IngestInput(["-rtsp_transport", "tcp", "-timeout", timeoutUs, "-i", url], null, SecretScrubber.None);
        }

        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("credential files for ffmpeg need Unix file modes");
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
            .Append("option rtsp_transport tcp\n")
            .Append("option timeout ").Append(timeoutUs).Append('\n')
            .ToString();
        var path = Path.Combine(PrivateDirectory(), $"in-{Guid.NewGuid():N}.ffconcat");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var f = new FileStream(path, options))
        {
            f.Write(Encoding.UTF8.GetBytes(text));
        }
        return new IngestInput(
            ["-f", "concat", "-safe", "0", "-protocol_whitelist", "file,rtsp,rtsps,rtp,srtp,tcp,udp,tls,crypto", "-i", path],
            path, scrubber);
    }

    private static string PrivateDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException();
        }
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        var parent = !string.IsNullOrEmpty(runtime) && Directory.Exists(runtime) ? runtime : Path.GetTempPath();
        var dir = Path.Combine(parent, $"homevault-ffmpeg-{Environment.UserName}");
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // An existing directory keeps its mode; refuse one others can read.
        if ((File.GetUnixFileMode(dir) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.OtherExecute | UnixFileMode.GroupExecute)) != 0)
        {
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return dir;
    }

    public void Dispose()
    {
        if (FilePath is not null)
        {
            try
            {
                File.Delete(FilePath);
            }
            catch (IOException)
            {
            }
        }
    }
}
