using System.Diagnostics;
using System.Globalization;
using HomeVault.Recording.Processes;

namespace HomeVault.Recording.Simulation;

/// <summary>
/// Synthetic RTSP cameras: tools/camsim/camsim.py (GStreamer's RTSP server serving an
/// ffmpeg-encoded test pattern) on a free loopback port, for the demo, the tests and the bench.
/// Started once READY names its port and mounts; the whole process tree is killed on dispose.
/// </summary>
public sealed class CamsimProcess : IDisposable
{
    /// <summary>Debian's interpreter, which has python3-gi; a pyenv or venv python on PATH usually lacks it.</summary>
    public const string Python = "/usr/bin/python3";

    private readonly ChildProcess _process;

    private CamsimProcess(ChildProcess process, int port, IReadOnlyDictionary<string, string> urls, TimeSpan readyAfter)
    {
        _process = process;
        Port = port;
        Urls = urls;
        ReadyAfter = readyAfter;
    }

    public int Pid => _process.Id;

    public int Port { get; }

    /// <summary>Mount name to rtsp:// (rtsps:// for a TLS mount) URL, for every kind of mount.</summary>
    public IReadOnlyDictionary<string, string> Urls { get; }

    /// <summary>How long it took to be ready (the first run encodes the test pattern, minutes at 1080p).</summary>
    public TimeSpan ReadyAfter { get; }

    /// <summary>
    /// Starts <paramref name="script"/> with <c>--port 0</c>, the common <paramref name="settings"/> and
    /// <paramref name="extraArguments"/> (mount flags such as <c>--auth-mount secure --flap-up 6</c>).
    /// </summary>
    /// <param name="onStderrLine">Each line camsim logs (it logs little); called from a pool thread.</param>
    /// <param name="environment">Extra variables, e.g. CAMSIM_AUTH, which keeps a password out of argv.</param>
    /// <exception cref="CamsimException">The script or interpreter is missing, or camsim ended or timed out before READY.</exception>
    public static CamsimProcess Start(string script, CamsimSettings settings, IEnumerable<string>? extraArguments = null,
        TimeSpan? readyTimeout = null, Action<string>? onStderrLine = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!File.Exists(script))
        {
            throw new CamsimException($"camera simulator not found at {script}");
        }
        if (!File.Exists(Python))
        {
            throw new CamsimException($"the camera simulator needs {Python} with GStreamer's RTSP server (run ./scripts/setup.sh)");
        }
        var clock = Stopwatch.StartNew();
        var process = ChildProcess.Start(Python, [script, .. settings.ToArguments(), .. extraArguments ?? []], new ChildOptions
        {
            Output = true,
            OnStderrLine = onStderrLine,
            Environment = environment,
        });
        try
        {
            var timeout = readyTimeout ?? TimeSpan.FromMinutes(5);
            if (ReadReady(process, timeout) is not { } ready)
            {
                // It ended (how, and its last words, say why: python3-gi missing, say) or it was too slow.
                var why = process.HasExited ? process.WaitForExitAsync().GetAwaiter().GetResult().Describe() : $"not ready within {timeout}";
                throw new CamsimException($"camera simulator did not start: {why}");
            }
            var fields = ready.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(kv => kv.Split('=', 2)).Where(kv => kv.Length == 2).ToList();
            var port = fields.Where(kv => kv[0] == "port").Select(kv => int.Parse(kv[1], CultureInfo.InvariantCulture)).FirstOrDefault();
            var urls = fields.Where(kv => kv[1].StartsWith("rtsp://", StringComparison.Ordinal) || kv[1].StartsWith("rtsps://", StringComparison.Ordinal)).ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
            return new CamsimProcess(process, port, urls, clock.Elapsed);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The READY line, or null when camsim ended or did not get there in time. What it prints after READY is
    /// drained, so it never blocks writing to stdout.
    /// </summary>
    private static string? ReadReady(ChildProcess process, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var reader = new StreamReader(process.StandardOutput);
        try
        {
            while (reader.ReadLineAsync(cts.Token).AsTask().GetAwaiter().GetResult() is { } line)
            {
                if (line.StartsWith("READY ", StringComparison.Ordinal))
                {
                    _ = reader.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        return null;
    }

    /// <summary>Kills the whole tree (the GStreamer server and the encoders it started).</summary>
    public void Dispose() => _process.Dispose();
}
