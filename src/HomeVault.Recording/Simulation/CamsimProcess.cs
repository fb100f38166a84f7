using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

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

    private readonly Process _process;

    private CamsimProcess(Process process, int port, IReadOnlyDictionary<string, string> urls, TimeSpan readyAfter)
    {
        _process = process;
        Port = port;
        Urls = urls;
        ReadyAfter = readyAfter;
    }

    public int Pid => _process.Id;

    public int Port { get; }

    /// <summary>Mount name to rtsp:// URL, for every kind of mount.</summary>
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
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        foreach (var a in settings.ToArguments().Concat(extraArguments ?? []))
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }
        var clock = Stopwatch.StartNew();
        var process = Process.Start(psi) ?? throw new CamsimException("could not start the camera simulator");
        var stderr = new ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                stderr.Enqueue(line);
                while (stderr.Count > 20 && stderr.TryDequeue(out string? _))
                {
                }
                onStderrLine?.Invoke(line);
            }
        };
        process.BeginErrorReadLine();
        try
        {
            var ready = ReadReady(process, readyTimeout ?? TimeSpan.FromMinutes(5));
            if (ready is null)
            {
                throw new CamsimException("camera simulator did not start: " + (stderr.LastOrDefault() ?? "no output (are python3-gi and gir1.2-gst-rtsp-server-1.0 installed?)"));
            }
            var fields = ready.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(kv => kv.Split('=', 2)).Where(kv => kv.Length == 2).ToList();
            var port = fields.Where(kv => kv[0] == "port").Select(kv => int.Parse(kv[1], CultureInfo.InvariantCulture)).FirstOrDefault();
            var urls = fields.Where(kv => kv[1].StartsWith("rtsp://", StringComparison.Ordinal)).ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
            return new CamsimProcess(process, port, urls, clock.Elapsed);
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    /// <summary>The READY line, or null when camsim ended or did not get there in time.</summary>
    private static string? ReadReady(Process process, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (process.StandardOutput.ReadLineAsync(cts.Token).AsTask().GetAwaiter().GetResult() is { } line)
            {
                if (line.StartsWith("READY ", StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        return null;
    }

    public void Dispose()
    {
        Kill(_process);
        _process.Dispose();
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // already gone
        }
    }
}
