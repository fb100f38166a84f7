using System.Globalization;
using System.Text.Json;
using HomeVault.Recording.Simulation;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

/// <summary>
/// Real footage recorded once for the release tests: camsim's "front" (video only) and "door" (H.264 with G.711,
/// recorded as AAC) through `homevault serve` for about 20 s in 4 s clips. Each test works on its own copy.
/// </summary>
public sealed class RecordedFootage : IDisposable
{
    public RecordedFootage()
    {
        using var cams = CamsimProcess.Start(Path.Combine(TestEnv.RepoRoot, "tools", "camsim", "camsim.py"),
            new CamsimSettings { Size = "640x360", Seconds = 300, Mounts = ["front"] }, ["--g711-mount", "door"]);
        (Dir, Data, Pass) = Homevault.Init();
        var config = Path.Combine(Dir, "homevault.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            HomeVault = new
            {
                DataDirectory = Data,
                Retention = new { Days = 30, MaxBytes = 0, MinFreeBytes = 1_000_000 },
                Cameras = cams.Urls.Select(kv => new { Name = kv.Key, Url = kv.Value, ClipSeconds = 4, Audio = "copy" }).ToArray(),
            },
        }));
        var serve = Homevault.Run("serve", "--config", config, "--duration", "22");
        Assert.True(serve.Exit == 0, serve.Stderr + serve.Stdout);
        var list = Homevault.Run("clips", "list", "--json", "--data", Data);
        Assert.True(list.Exit == 0, list.Stderr);
        Clips = JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray()
            .Select(c => (c.GetProperty("camera").GetString()!, Time(c.GetProperty("start").GetString()!), Time(c.GetProperty("end").GetString()!)))
            .ToList();
        Assert.True(Clips.Count(c => c.Camera == "front") >= 4 && Clips.Count(c => c.Camera == "door") >= 4, "too few clips recorded");
        // The requested window: whole seconds around everything recorded.
        From = new DateTimeOffset(Clips.Min(c => c.Start).UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        To = new DateTimeOffset((Clips.Max(c => c.End).UtcTicks / TimeSpan.TicksPerSecond + 1) * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        Thread.Sleep(To - DateTimeOffset.UtcNow > TimeSpan.Zero ? To - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(100) : TimeSpan.Zero);
    }

    public string Dir { get; }

    public string Data { get; }

    public string Pass { get; }

    public IReadOnlyList<(string Camera, DateTimeOffset Start, DateTimeOffset End)> Clips { get; }

    public DateTimeOffset From { get; }

    public DateTimeOffset To { get; }

    /// <summary>A private copy of the recorded data directory (and the passphrase file), so tests do not see each other's requests.</summary>
    public (string Dir, string Data, string Pass) Copy()
    {
        var dir = TestEnv.NewTempDir("hvrel");
        var r = TestEnv.Run("/bin/cp", ["-a", Data, Path.Combine(dir, "data")]);
        Assert.True(r.Exit == 0, r.Stderr);
        File.Copy(Pass, Path.Combine(dir, "pass"));
        return (dir, Path.Combine(dir, "data"), Path.Combine(dir, "pass"));
    }

    public static DateTimeOffset Time(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public void Dispose()
    {
    }
}
