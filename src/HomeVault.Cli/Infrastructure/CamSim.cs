using System.Diagnostics;

namespace HomeVault.Cli.Infrastructure;

/// <summary>
/// Synthetic RTSP cameras for the demo: tools/camsim/camsim.py (GStreamer's RTSP server serving
/// an ffmpeg-encoded test pattern), started on a free loopback port and stopped on dispose.
/// </summary>
internal sealed class CamSim : IDisposable
{
    private readonly Process _process;

    private CamSim(Process process, IReadOnlyDictionary<string, string> urls)
    {
        _process = process;
        Urls = urls;
    }

    public IReadOnlyDictionary<string, string> Urls { get; }

    public static CamSim Start(IEnumerable<string> mounts, int seconds, string size = "1280x720", TimeSpan? readyTimeout = null, IEnumerable<string>? audioMounts = null)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "camsim.py");
        if (!File.Exists(script))
        {
            throw new UserError($"camera simulator not found at {script}");
        }
        const string python = "/usr/bin/python3";
        if (!File.Exists(python))
        {
            throw new UserError("the demo cameras need /usr/bin/python3 with GStreamer's RTSP server (run ./scripts/setup.sh)");
        }
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { script, "--port", "0", "--size", size, "--seconds", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var m in mounts)
        {
            psi.ArgumentList.Add("--mount");
            psi.ArgumentList.Add(m);
        }
        // H.264 with G.711 audio, which the recorder turns into AAC.
        foreach (var m in audioMounts ?? [])
        {
            psi.ArgumentList.Add("--g711-mount");
            psi.ArgumentList.Add(m);
        }
        var process = Process.Start(psi) ?? throw new UserError("could not start the camera simulator");
        var stderr = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                stderr.Enqueue(line);
                Console.Error.WriteLine("  " + line);
            }
        };
        process.BeginErrorReadLine();
        var ready = process.StandardOutput.ReadLineAsync();
        if (!ready.Wait(readyTimeout ?? TimeSpan.FromMinutes(5)) || ready.Result is not { } line || !line.StartsWith("READY ", StringComparison.Ordinal))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.Dispose();
            throw new UserError("camera simulator did not start: " + (stderr.LastOrDefault() ?? "no output (are python3-gi and gir1.2-gst-rtsp-server-1.0 installed?)"));
        }
        var urls = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(kv => kv.Split('=', 2)).Where(kv => kv.Length == 2 && kv[1].StartsWith("rtsp://", StringComparison.Ordinal))
            .ToDictionary(kv => kv[0], kv => kv[1]);
        return new CamSim(process, urls);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
    }
}
