using System.Diagnostics;
using System.Text;
using System.Text.Json;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

/// <summary>`homevault serve` started in the background (killed on dispose if still running), its configuration, and its catalog read with sqlite3.</summary>
internal sealed class ServeProcesses : IDisposable
{
    private readonly List<Process> _started = [];

    public Process Start(string config)
    {
        var psi = TestEnv.HomevaultStartInfo("serve", "--config", config);
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _started.Add(p);
        return p;
    }

    public void Dispose()
    {
        foreach (var p in _started)
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            p.Dispose();
        }
    }

    /// <summary>A configuration recording <paramref name="cameras"/> (name to RTSP URL) into <paramref name="data"/>.</summary>
    public static string WriteConfig(string dir, string data, IReadOnlyDictionary<string, string> cameras, int clipSeconds, string name = "homevault.json")
    {
        var config = Path.Combine(dir, name);
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            HomeVault = new
            {
                DataDirectory = data,
                Retention = new { Days = 30, MaxBytes = 0, MinFreeBytes = 1_000_000 },
                Cameras = cameras.Select(kv => new { Name = kv.Key, Url = kv.Value, ClipSeconds = clipSeconds }).ToArray(),
            },
        }));
        return config;
    }

    public static string Sql(string db, string query) =>
        Encoding.UTF8.GetString(TestEnv.Run(TestEnv.Tool("sqlite3"), [db, query]).Stdout).Trim();
}
