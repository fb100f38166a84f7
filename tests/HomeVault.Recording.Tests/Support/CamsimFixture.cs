using System.Diagnostics;
using HomeVault.Tests;

[assembly: AssemblyFixture(typeof(HomeVault.Recording.Tests.Support.CamsimFixture))]

namespace HomeVault.Recording.Tests.Support;

/// <summary>One camsim for the whole test assembly: small 640x360 clips, every kind of mount.</summary>
public sealed class CamsimFixture : IAsyncLifetime
{
    public const string User = "viewer";
    // ':' '@' '/' '%' exercise the percent-encoding path to ffmpeg and the scrubber.
    public const string Password = "s3cr3t-P@ss:w/rd%42";

    private Process? _process;

    public Dictionary<string, string> Urls { get; } = new(StringComparer.Ordinal);

    public int Port { get; private set; }

    public int Pid => _process?.Id ?? 0;

    public async ValueTask InitializeAsync()
    {
        var script = Path.Combine(TestEnv.RepoRoot, "tools", "camsim", "camsim.py");
        var psi = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            script, "--port", "0", "--size", "640x360", "--fps", "15", "--seconds", "60", "--bitrate", "600k", "--gop", "30",
            "--cache-dir", Path.Combine(Path.GetTempPath(), "homevault-camsim-cache"),
            "--mount", "cam1", "--mount", "cam2", "--auth-mount", "secure",
            "--flap-mount", "flappy", "--flap-up", "6", "--flap-down", "3",
            "--stall-mount", "stally", "--stall-after", "5",
            "--h265-mount", "hevc", "--g711-mount", "audio",
        })
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["CAMSIM_AUTH"] = $"{User}:{Password}";
        _process = Process.Start(psi)!;
        _ = _process.StandardError.ReadToEndAsync(); // drain; camsim logs little
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        while (await _process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
        {
            if (!line.StartsWith("READY ", StringComparison.Ordinal))
            {
                continue;
            }
            foreach (var part in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
            {
                var kv = part.Split('=', 2);
                if (kv[0] == "port")
                {
                    Port = int.Parse(kv[1], System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (kv[1].StartsWith("rtsp://", StringComparison.Ordinal))
                {
                    Urls[kv[0]] = kv[1];
                }
            }
            return;
        }
        throw new InvalidOperationException("camsim exited before READY");
    }

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
