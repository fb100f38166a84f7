using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

/// <summary>`homevault serve` processes a test starts: their output kept, each killed (whole tree) at the end.</summary>
internal sealed class ServeProcesses : IDisposable
{
    private readonly List<(Process Process, ConcurrentQueue<string> Lines)> _started = [];

    /// <summary>Starts `homevault serve --config CONFIG`; <paramref name="env"/> sets variables (null removes one).</summary>
    public Process Start(string config, IReadOnlyDictionary<string, string?>? env = null)
    {
        var psi = TestEnv.HomevaultStartInfo("serve", "--config", config);
        foreach (var (name, value) in env ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                psi.Environment.Remove(name);
            }
            else
            {
                psi.Environment[name] = value;
            }
        }
        var p = Process.Start(psi)!;
        var lines = new ConcurrentQueue<string>();
        p.OutputDataReceived += (_, e) => Keep(lines, e.Data);
        p.ErrorDataReceived += (_, e) => Keep(lines, e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _started.Add((p, lines));
        return p;
    }

    private static void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }

    /// <summary>Everything the process wrote to stdout and stderr so far, a line each.</summary>
    public string Output(Process serve) => string.Join('\n', _started.Single(s => s.Process == serve).Lines);

    /// <summary>SIGTERM, as systemd stops the service; the process must leave with 0 (it seals its open clips).</summary>
    public static void Stop(Process serve)
    {
        var term = TestEnv.Run(TestEnv.Tool("kill"), ["-TERM", serve.Id.ToString(CultureInfo.InvariantCulture)]);
        Assert.Equal(0, term.Exit);
        Assert.True(serve.WaitForExit(120_000), "serve did not exit after SIGTERM");
        serve.WaitForExit(); // the output handlers have run
        Assert.Equal(0, serve.ExitCode);
    }

    /// <summary>A configuration file for <paramref name="data"/> with these cameras (name, url, clip seconds, credentials file) and, when given, an Http section.</summary>
    public static string WriteConfig(string path, string data, IEnumerable<(string Name, string Url, int ClipSeconds, string? CredentialsFile)> cameras,
        (string Intake, string Console)? http = null)
    {
        var homevault = new
        {
            DataDirectory = data,
            Retention = new { Days = 30, MaxBytes = 0, MinFreeBytes = 1_000_000 },
            Cameras = cameras.Select(c => new { c.Name, c.Url, c.ClipSeconds, c.CredentialsFile }).ToArray(),
        };
        File.WriteAllText(path, http is { } h
            ? JsonSerializer.Serialize(new { HomeVault = homevault, Http = new { IntakeUrls = h.Intake, ConsoleUrls = h.Console } })
            : JsonSerializer.Serialize(new { HomeVault = homevault }));
        return path;
    }

    /// <summary>A configuration recording <paramref name="cameras"/> (name to RTSP URL) into <paramref name="data"/>, every clip <paramref name="clipSeconds"/> long.</summary>
    public static string WriteConfig(string dir, string data, IReadOnlyDictionary<string, string> cameras, int clipSeconds, string name = "homevault.json") =>
        WriteConfig(Path.Combine(dir, name), data, cameras.Select(kv => (kv.Key, kv.Value, clipSeconds, (string?)null)));

    public static List<JsonElement> Clips(string data)
    {
        var r = Homevault.Run("clips", "list", "--json", "--data", data);
        Assert.True(r.Exit == 0, r.Stderr);
        return JsonDocument.Parse(r.Stdout).RootElement.EnumerateArray().ToList();
    }

    public static string Sql(string db, string query) =>
        Encoding.UTF8.GetString(TestEnv.Run(TestEnv.Tool("sqlite3"), [db, query]).Stdout).Trim();

    /// <summary>Polls <paramref name="condition"/> every half second until it holds or <paramref name="seconds"/> pass; then asserts it.</summary>
    public static void WaitUntil(Func<bool> condition, int seconds, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(500);
        }
        Assert.True(condition(), $"{what} within {seconds} s");
    }

    public void Dispose()
    {
        foreach (var (p, _) in _started)
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            p.Dispose();
        }
    }
}
