using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HomeVault.Bench;

/// <summary>
/// `intake [--cameras 8] [--seconds 20] [--size 640x360] [--bitrate 1M]`: the HTTP intake under load from a second
/// process (Debian's `wrk`, loopback only) while `homevault serve` records camsim cameras. Run A (peer) is the same
/// serve with no cameras; run B records N cameras. Each run sweeps wrk's connection count (1, 4, 16, 64) against
/// `POST /api/requests` (a valid request with a requester token: validation, audit leaf, checkpoint, fsync) and a
/// cheap `GET /api/healthz`; it reports requests/s and p99, the best rate whose p99 stays under 50 ms, and B/A.
/// Afterwards it reads the recorder's clips: fragments dropped = gaps between consecutive clips of a camera,
/// truncated clips and restarted runs. Prints; asserts nothing.
/// </summary>
public static partial class IntakeBench
{
    private static readonly int[] Connections = [1, 4, 16, 64];

    public static int Run(string[] args)
    {
        var cameras = (int)BenchArgs.Num(args, "--cameras", 8);
        var seconds = (int)BenchArgs.Num(args, "--seconds", 20);
        var size = BenchArgs.Text(args, "--size", "640x360");
        var bitrate = BenchArgs.Text(args, "--bitrate", "1M");
        var wrk = File.Exists("/usr/bin/wrk") ? "/usr/bin/wrk" : throw new InvalidOperationException("wrk is not installed: apt-get install wrk");
        var root = NativeCli.RepoRoot();
        var work = Path.Combine(Path.GetTempPath(), $"hv-intakebench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        var started = new List<Process>();
        try
        {
            var hv = NativeCli.Publish(root, work);
            Console.WriteLine($"intake bench: {Environment.ProcessorCount} cores, wrk {seconds} s per point, connections {string.Join(",", Connections)}, load {BenchStamp.LoadAverage()}");
            var urls = cameras > 0 ? StartCamsim(root, cameras, size, bitrate, started) : [];
            Console.WriteLine($"camsim: {cameras} cameras {size} 15 fps {bitrate} on 127.0.0.1");

            var a = RunSide(work, hv, wrk, "A", [], seconds, started);
            var b = RunSide(work, hv, wrk, "B", urls, seconds, started);

            Console.WriteLine();
            BenchStamp.Print(BenchStamp.Binary(hv) + ", homevault serve against wrk on loopback");
            Console.WriteLine("| endpoint | connections | A: no cameras req/s | A p99 ms | B: " + cameras + " cameras req/s | B p99 ms | B/A |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var key in a.Points.Keys)
            {
                var (ra, pa) = a.Points[key];
                var (rb, pb) = b.Points[key];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {key.Endpoint} | {key.Connections} | {ra:F0} | {pa:F1} | {rb:F0} | {pb:F1} | {rb / ra:F2} |"));
            }
            foreach (var endpoint in new[] { "POST /api/requests", "GET /api/healthz" })
            {
                double Best(Side s) => s.Points.Where(p => p.Key.Endpoint == endpoint && p.Value.P99 < 50).Select(p => p.Value.Rps).DefaultIfEmpty(0).Max();
                var ratio = Best(a) > 0 ? string.Create(CultureInfo.InvariantCulture, $"{Best(b) / Best(a):F2}x") : "n/a";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{endpoint}: best req/s with p99 < 50 ms: A {Best(a):F0}, B {Best(b):F0} ({ratio})"));
            }
            Console.WriteLine($"recorder during B: {b.Recorder}");
            return 0;
        }
        finally
        {
            StopAll(started);
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>homevault.json in <paramref name="dir"/>: cameras cam01... on the URLs given, both listeners on free loopback ports.</summary>
    internal static string ServeConfig(string dir, string data, List<string> cameras)
    {
        var config = Path.Combine(dir, "homevault.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            HomeVault = new
            {
                DataDirectory = data,
                Retention = new { Days = 30, MaxBytes = 0, MinFreeBytes = 1_000_000 },
                Cameras = cameras.Select((u, i) => new { Name = $"cam{i + 1:D2}", Url = u, ClipSeconds = 10 }).ToArray(),
            },
            Http = new { IntakeUrls = "http://127.0.0.1:0", ConsoleUrls = "http://127.0.0.1:0", IntakePermitsPerMinute = 1_000_000 },
        }));
        return config;
    }

    internal static void StopAll(List<Process> started)
    {
        foreach (var p in started)
        {
            try
            {
                p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            p.Dispose();
        }
    }

    private sealed record Side(Dictionary<(string Endpoint, int Connections), (double Rps, double P99)> Points, string Recorder);

    private static Side RunSide(string work, string hv, string wrk, string name, List<string> cameras, int seconds, List<Process> started)
    {
        var dir = Path.Combine(work, name);
        Directory.CreateDirectory(dir);
        var pass = Path.Combine(dir, "pass");
        File.WriteAllText(pass, "intake bench passphrase\n");
        var data = Path.Combine(dir, "data");
        Tool.Run(hv, "init", "--data", data, "--owner", "alice", "--passphrase-file", pass);
        const string recipient = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
        var token = Tool.Run(hv, "requesters", "add", "spd", "--recipient", recipient, "--data", data).TrimEnd().Split('\n')[^1];
        var config = ServeConfig(dir, data, cameras);
        var serve = Start(hv, ["serve", "--config", config], started);
        var http = Path.Combine(data, "status", "http.json");
        Wait(() => File.Exists(http), 60, "serve published no HTTP address");
        var intake = JsonDocument.Parse(File.ReadAllText(http)).RootElement.GetProperty("intake")[0].GetString()!.TrimEnd('/');
        if (cameras.Count > 0)
        {
            Wait(() => Clips(hv, data).Select(c => c.Camera).Distinct().Count() == cameras.Count, 120, "not every camera sealed a clip");
        }
        var today = DateTime.UtcNow;
        var body = $$"""
            {"requester":{"organization":"Bench PD","contact":"bench@example.org","recipient":"{{recipient}}"},
             "legalBasis":{"type":"search-warrant","reference":"B-1","issuedBy":"Bench Court","issuedOn":"{{today.AddDays(-1):yyyy-MM-dd}}","expiresOn":"{{today.AddDays(20):yyyy-MM-dd}}"},
             "scope":{"cameras":["cam01"],"from":"{{today.AddHours(-2):yyyy-MM-ddTHH:mm:ss}}Z","to":"{{today.AddHours(-1):yyyy-MM-ddTHH:mm:ss}}Z"},
             "purpose":"load test"}
            """.Replace("\n", "", StringComparison.Ordinal);
        var lua = Path.Combine(dir, "post.lua");
        File.WriteAllText(lua, $"wrk.method = \"POST\"\nwrk.body = [[{body}]]\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.headers[\"Authorization\"] = \"Bearer {token}\"\n");
        var points = new Dictionary<(string, int), (double, double)>();
        // JIT and connection warm-up, not measured.
        Tool.Run(wrk, "-t", "2", "-c", "4", "-d", "3s", "-s", lua, intake + "/api/requests");
        Tool.Run(wrk, "-t", "2", "-c", "4", "-d", "3s", intake + "/api/healthz");
        Console.WriteLine($"run {name}: {cameras.Count} cameras recording, load {BenchStamp.LoadAverage()}");
        foreach (var c in Connections)
        {
            points[("POST /api/requests", c)] = Wrk(wrk, c, seconds, intake + "/api/requests", lua);
            points[("GET /api/healthz", c)] = Wrk(wrk, c, seconds, intake + "/api/healthz", null);
        }
        var recorder = cameras.Count == 0 ? "no cameras" : Dropped(hv, data);
        serve.Kill(entireProcessTree: true);
        serve.WaitForExit();
        return new Side(points, recorder);
    }

    private static (double Rps, double P99) Wrk(string wrk, int connections, int seconds, string url, string? script)
    {
        List<string> args = ["-t", Math.Min(2, connections).ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{seconds}s", "--latency"];
        if (script is not null)
        {
            args.AddRange(["-s", script]);
        }
        args.Add(url);
        var output = Tool.Run(wrk, [.. args]);
        var rps = double.Parse(RpsLine().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var p99 = P99Line().Match(output);
        var ms = double.Parse(p99.Groups[1].Value, CultureInfo.InvariantCulture) * p99.Groups[2].Value switch { "us" => 0.001, "ms" => 1, "s" => 1000, _ => double.NaN };
        var errors = NonOk().Match(output);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {url[(url.LastIndexOf('/') + 1)..],-9} c={connections,-3} {rps,8:F0} req/s  p99 {ms,7:F1} ms{(errors.Success ? "  non-2xx: " + errors.Groups[1].Value : "")}"));
        return (rps, ms);
    }

    /// <summary>What the recorder lost while loaded: gaps between consecutive clips, truncated clips, runs per camera.</summary>
    private static string Dropped(string hv, string data)
    {
        var clips = Clips(hv, data);
        var gaps = 0;
        var worst = 0.0;
        foreach (var camera in clips.GroupBy(c => c.Camera))
        {
            var ordered = camera.OrderBy(c => c.Start).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                var gap = (ordered[i].Start - ordered[i - 1].End).TotalSeconds;
                worst = Math.Max(worst, gap);
                if (gap > 0.05)
                {
                    gaps++;
                }
            }
        }
        var truncated = clips.Count(c => c.State != "complete");
        return string.Create(CultureInfo.InvariantCulture,
            $"{clips.Count} clips sealed, {truncated} not complete, {gaps} gaps > 50 ms between consecutive clips (largest {worst:F3} s) => fragments dropped: {(gaps == 0 && truncated == 0 ? "none" : "SOME")}");
    }

    internal sealed record ClipRow(string Camera, DateTimeOffset Start, DateTimeOffset End, string State);

    internal static List<ClipRow> Clips(string hv, string data)
    {
        using var doc = JsonDocument.Parse(Tool.Run(hv, "clips", "list", "--json", "--data", data));
        return doc.RootElement.EnumerateArray().Select(c => new ClipRow(c.GetProperty("camera").GetString()!,
            DateTimeOffset.Parse(c.GetProperty("start").GetString()!, CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(c.GetProperty("end").GetString()!, CultureInfo.InvariantCulture), c.GetProperty("state").GetString()!)).ToList();
    }

    internal static List<string> StartCamsim(string root, int n, string size, string bitrate, List<Process> started)
    {
        List<string> args = [Path.Combine(root, "tools", "camsim", "camsim.py"), "--port", "0", "--size", size, "--fps", "15", "--bitrate", bitrate, "--gop", "30", "--seconds", "900"];
        for (var i = 0; i < n; i++)
        {
            args.AddRange(["--mount", $"cam{i + 1:D2}"]);
        }
        var p = Start("/usr/bin/python3", args, started, readStdout: false);
        string? line;
        while ((line = p.StandardOutput.ReadLine()) is not null && !line.StartsWith("READY", StringComparison.Ordinal))
        {
        }
        var fields = (line ?? throw new InvalidOperationException("camsim exited before READY")).Split(' ').Skip(1).Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1]);
        return Enumerable.Range(0, n).Select(i => fields[$"cam{i + 1:D2}"]).ToList();
    }

    internal static Process Start(string file, IEnumerable<string> args, List<Process> started, bool readStdout = true)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        var p = Process.Start(psi)!;
        started.Add(p);
        p.ErrorDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        if (readStdout)
        {
            p.OutputDataReceived += (_, _) => { };
            p.BeginOutputReadLine();
        }
        return p;
    }

    internal static void Wait(Func<bool> done, int seconds, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException(failure);
            }
            Thread.Sleep(500);
        }
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RpsLine();

    [GeneratedRegex(@"\s99%\s+([0-9.]+)(us|ms|s)")]
    private static partial Regex P99Line();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex NonOk();
}
