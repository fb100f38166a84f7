using System.Diagnostics;
using System.Text.Json;
using HomeVault.Recording.Simulation;
using HomeVault.Tests;

namespace HomeVault.Web.Tests;

/// <summary>
/// The real `homevault serve` process recording a real camsim RTSP camera, with both HTTP listeners on free
/// loopback ports (found in status/http.json), over a data directory made by the real CLI.
/// </summary>
internal sealed class ServeProcess : IDisposable
{
    /// <summary>The console's configured time zone (<c>Http:TimeZone</c>).</summary>
    public const string ConsoleZone = "America/New_York";

    /// <summary>The intake's configured public address (<c>Http:PublicIntakeUrl</c>); nothing listens there.</summary>
    public const string PublicIntakeUrl = "https://vault.example.org/homevault/";

    private readonly CamsimProcess? _cams;
    private readonly Process _serve;

    public ServeProcess()
        : this(camsim: true, [])
    {
    }

    /// <param name="camsim">Whether to record camsim's cameras (<paramref name="mounts"/>, by default "front").</param>
    /// <param name="moreCameras">Further cameras to configure (e.g. one nobody answers for).</param>
    public ServeProcess(bool camsim, IReadOnlyList<(string Name, string Url)> moreCameras, IReadOnlyList<string>? mounts = null)
        : this(camsim ? mounts ?? ["front"] : [], moreCameras, ConsoleZone)
    {
    }

    /// <param name="mounts">camsim cameras to record (none: no camsim).</param>
    /// <param name="moreCameras">Further cameras to configure (e.g. one nobody answers for).</param>
    /// <param name="timeZone">The console's Http:TimeZone (empty: the system's).</param>
    public ServeProcess(IReadOnlyList<string> mounts, IReadOnlyList<(string Name, string Url)> moreCameras, string timeZone)
    {
        _cams = mounts.Count > 0
            ? CamsimProcess.Start(Path.Combine(TestEnv.RepoRoot, "tools", "camsim", "camsim.py"), new CamsimSettings { Size = "640x360", Seconds = 300, Mounts = mounts })
            : null;
        var cameras = (_cams?.Urls.Select(kv => (Name: kv.Key, Url: kv.Value)) ?? []).Concat(moreCameras);
        Dir = TestEnv.NewTempDir("hvserve");
        PassFile = Path.Combine(Dir, "pass");
        File.WriteAllText(PassFile, WebHost.Passphrase + "\n");
        Data = Path.Combine(Dir, "data");
        var init = Homevault.Run("init", "--data", Data, "--owner", "alice", "--passphrase-file", PassFile);
        Assert.True(init.Exit == 0, init.Stderr);
        var add = Homevault.Run("requesters", "add", "spd", "--recipient", WebHost.Recipient, "--data", Data);
        Assert.True(add.Exit == 0, add.Stderr);
        Token = Homevault.LastLine(add.Stdout);
        var config = Path.Combine(Dir, "homevault.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            HomeVault = new
            {
                DataDirectory = Data,
                Retention = new { Days = 30, MaxBytes = 0, MinFreeBytes = 1_000_000 },
                Cameras = cameras.Select(c => new { c.Name, c.Url, ClipSeconds = 3 }).ToArray(),
            },
            // The intake's public address as a reverse proxy would give it, which the console's download links use.
            Http = new { IntakeUrls = "http://127.0.0.1:0", ConsoleUrls = "http://127.0.0.1:0", TimeZone = timeZone, PublicIntakeUrl },
        }));
        var psi = TestEnv.HomevaultStartInfo("serve", "--config", config);
        _serve = Process.Start(psi)!;
        _serve.OutputDataReceived += (_, _) => { };
        _serve.ErrorDataReceived += (_, _) => { };
        _serve.BeginOutputReadLine();
        _serve.BeginErrorReadLine();

        var http = Path.Combine(Data, "status", "http.json");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(http) && DateTime.UtcNow < deadline && !_serve.HasExited)
        {
            Thread.Sleep(200);
        }
        Assert.True(File.Exists(http), "homevault serve published no HTTP addresses within 60 s");
        using var doc = JsonDocument.Parse(File.ReadAllText(http));
        Intake = new Uri(doc.RootElement.GetProperty("intake")[0].GetString()!);
        Console = new Uri(doc.RootElement.GetProperty("console")[0].GetString()!);
    }

    public string Dir { get; }

    public string Data { get; }

    public string PassFile { get; }

    public string Token { get; }

    public Uri Intake { get; }

    public Uri Console { get; }

    /// <summary>Waits until the recorder has sealed at least <paramref name="count"/> clips.</summary>
    public List<JsonElement> WaitForClips(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var r = Homevault.Run("clips", "list", "--json", "--data", Data);
            var clips = r.Exit == 0 ? JsonDocument.Parse(r.Stdout).RootElement.EnumerateArray().ToList() : [];
            if (clips.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.True(clips.Count >= count, $"the recorder sealed {clips.Count} of {count} clips within 90 s");
                return clips;
            }
            Thread.Sleep(500);
        }
    }

    /// <summary>Waits until the console's /healthz says every camera is recording.</summary>
    public async Task WaitForAllRecordingAsync()
    {
        using var http = new HttpClient { BaseAddress = Console };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            using var health = await http.GetAsync("/healthz");
            last = await health.Content.ReadAsStringAsync();
            if (health.IsSuccessStatusCode)
            {
                return;
            }
            await Task.Delay(500);
        }
        Assert.Fail($"not every camera recording within 90 s: {last}");
    }

    /// <summary>The live views open now, as the console's /metrics counts them.</summary>
    public async Task<int> LiveViewersAsync()
    {
        using var http = new HttpClient { BaseAddress = Console };
        var metrics = await http.GetStringAsync("/metrics");
        var line = metrics.Split('\n').Single(l => l.StartsWith("homevault_live_viewers ", StringComparison.Ordinal));
        return (int)double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The audit log's (action, subject, reason) entries, read by the real CLI.</summary>
    public List<(string Action, string Subject, string? Reason)> AuditEntries()
    {
        var r = Homevault.Run("audit", "log", "--json", "--data", Data);
        Assert.True(r.Exit == 0, r.Stderr);
        return JsonDocument.Parse(r.Stdout).RootElement.EnumerateArray()
            .Select(e => (e.GetProperty("action").GetString()!, e.GetProperty("subject").GetString()!,
                e.GetProperty("details").TryGetProperty("reason", out var why) ? why.GetString() : null))
            .ToList();
    }

    public void Dispose()
    {
        try
        {
            _serve.Kill(entireProcessTree: true);
            _serve.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _serve.Dispose();
        _cams?.Dispose();
        Directory.Delete(Dir, recursive: true);
    }
}
