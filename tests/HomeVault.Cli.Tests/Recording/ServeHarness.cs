using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests.Recording;

/// <summary>
/// `homevault serve` as a real process on a data directory, restarted, killed and stopped as a test needs,
/// and the catalog read back with sqlite3 (a second reader, as an owner would).
/// </summary>
internal sealed class ServeHarness : IDisposable
{
    private readonly ServeProcesses _processes = new();
    private readonly List<Process> _started = [];

    public ServeHarness(string data, string config)
    {
        Data = data;
        Config = config;
    }

    public string Data { get; }

    public string Config { get; }

    public string Db => Path.Combine(Data, "catalog.db");

    /// <summary>Everything every serve printed (stdout and stderr), for failure messages.</summary>
    public string Log => string.Join('\n', _started.Select(_processes.Output));

    public Process Start()
    {
        var p = _processes.Start(Config);
        _started.Add(p);
        return p;
    }

    public static void Kill9(Process p)
    {
        Assert.Equal(0, TestEnv.Run(TestEnv.Tool("kill"), ["-KILL", p.Id.ToString(CultureInfo.InvariantCulture)]).Exit);
        Assert.True(p.WaitForExit(30_000), "serve survived SIGKILL");
    }

    public void Stop(Process p)
    {
        Assert.Equal(0, TestEnv.Run(TestEnv.Tool("kill"), ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)]).Exit);
        Assert.True(p.WaitForExit(120_000), "serve did not exit after SIGTERM");
        p.WaitForExit(); // the output handlers have run
        Assert.True(p.ExitCode == 0, $"serve exited {p.ExitCode}:\n{Log}");
    }

    public string Sql(string query) => ServeProcesses.Sql(Db, query);

    public long SqlLong(string query) => long.Parse(Sql(query) is { Length: > 0 } s ? s : "0", CultureInfo.InvariantCulture);

    /// <summary>Waits (bounded) for a condition on the running recorder; fails with the log.</summary>
    public void WaitFor(Func<bool> condition, string what, Process? serve = null, int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(serve is null || !serve.HasExited, $"serve exited ({(serve!.HasExited ? serve.ExitCode : 0)}) while waiting for {what}:\n{Log}");
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}:\n{Log}");
            Thread.Sleep(200);
        }
    }

    /// <summary>A camera's clips (every state, deleted ones too: they were footage) and gaps, in ms.</summary>
    public List<(long From, long Until)> Accounted(string camera)
    {
        var rows = Sql($"""
            SELECT start_ms || ' ' || end_ms FROM clips WHERE camera_id = (SELECT id FROM cameras WHERE name = '{camera}')
            UNION ALL
            SELECT start_ms || ' ' || coalesce(end_ms, -1) FROM gaps WHERE camera_id = (SELECT id FROM cameras WHERE name = '{camera}')
            """);
        return rows.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')).Select(p => (long.Parse(p[0], CultureInfo.InvariantCulture), long.Parse(p[1], CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>
    /// Every millisecond of <paramref name="camera"/> from <paramref name="from"/> to <paramref name="until"/> is in a
    /// clip or a gap (no open gap left), and the books reach <paramref name="until"/>.
    /// </summary>
    public void AssertEverySecondAccounted(string camera, long from, long until)
    {
        var intervals = Accounted(camera);
        Assert.DoesNotContain(intervals, i => i.Until < 0);
        var holes = new List<string>();
        var reached = from;
        foreach (var (a, b) in intervals.OrderBy(i => i.From))
        {
            if (a > reached && reached < until)
            {
                holes.Add($"{reached}..{Math.Min(a, until)} ({Math.Min(a, until) - reached} ms)");
            }
            reached = Math.Max(reached, b);
        }
        if (reached < until)
        {
            holes.Add($"{reached}..{until} ({until - reached} ms, the end)");
        }
        Assert.True(holes.Count == 0, $"{camera}: neither footage nor gap: {string.Join(", ", holes)}");
    }

    public static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    /// <param name="webhook">With a URL: the web side too, on loopback ports found in status/http.json, posting webhooks there.</param>
    public static string WriteConfig(string dir, string data, object[] cameras, long minFreeBytes = 1_000_000, string? webhook = null)
    {
        var config = Path.Combine(dir, "homevault.json");
        var homeVault = new
        {
            DataDirectory = data,
            Retention = new { Days = 30, MaxBytes = 0, MinFreeBytes = minFreeBytes },
            Cameras = cameras,
        };
        File.WriteAllText(config, webhook is null
            ? JsonSerializer.Serialize(new { HomeVault = homeVault })
            : JsonSerializer.Serialize(new
            {
                HomeVault = homeVault,
                Http = new { IntakeUrls = "http://127.0.0.1:0", ConsoleUrls = "http://127.0.0.1:0", Webhooks = new[] { webhook } },
            }));
        return config;
    }

    /// <summary>The console's base address, once the web side has written it.</summary>
    public Uri ConsoleUrl()
    {
        var http = Path.Combine(Data, "status", "http.json");
        WaitFor(() => File.Exists(http), "status/http.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(http));
        return new Uri(doc.RootElement.GetProperty("console")[0].GetString()!);
    }

    public void Dispose() => _processes.Dispose();
}
