using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using HomeVault.Recording.Fmp4;

namespace HomeVault.Bench;

/// <summary>
/// `live [--cameras 8] [--seconds 60] [--pairs 2] [--size 640x360] [--bitrate 1M] [--cli PATH]`: one native
/// `homevault serve` recording N camsim cameras (15 fps, a keyframe every 2 s), its console unlocked; phases of
/// `--seconds` alternate between no live viewer (A) and one WebSocket viewer per camera (B), `--pairs` times. Reports
/// the serve process tree's CPU (the service and its ffmpeg children, from /proc) in each, B/A, and the live latency:
/// for each fragment a viewer receives, its arrival time minus the wall time of its first frame (the camera's
/// first clip start, which the recorder dates from the first fragment's arrival, plus the fragment's media time).
/// That is how old the oldest frame the viewer can show is when it arrives; the browser's own decode is not in it.
/// </summary>
public static partial class LiveBench
{
    private const string Passphrase = "live bench passphrase";

    public static int Run(string[] args)
    {
        var cameras = (int)BenchArgs.Num(args, "--cameras", 8);
        var seconds = (int)BenchArgs.Num(args, "--seconds", 60);
        var pairs = (int)BenchArgs.Num(args, "--pairs", 2);
        var root = NativeCli.RepoRoot();
        var work = Path.Combine(Path.GetTempPath(), $"hv-livebench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        var started = new List<Process>();
        try
        {
            var hv = BenchArgs.Text(args, "--cli", "") is { Length: > 0 } given ? Path.GetFullPath(given) : NativeCli.Publish(root, work);
            var urls = IntakeBench.StartCamsim(root, cameras, BenchArgs.Text(args, "--size", "640x360"), BenchArgs.Text(args, "--bitrate", "1M"), started);
            var (serve, data, console) = StartServe(hv, work, urls, started);
            var loadAtStart = BenchStamp.LoadAverage();
            var sampler = new TreeSampler();
            sampler.AddRoot(serve.Id);
            sampler.Start();
            var (http, cookies) = Unlock(console);
            using var unlocked = http;
            var phases = new List<(bool Viewers, double TreeCpu, double ServiceCpu, double Wall)>();
            var latencies = new List<(double Age, double Delivery)>();
            for (var i = 0; i < pairs * 2; i++)
            {
                var viewers = i % 2 == 1;
                var (tree0, service0) = sampler.Snapshot();
                var clock = Stopwatch.StartNew();
                if (viewers)
                {
                    latencies.AddRange(Watch(hv, data, console, cookies, cameras, TimeSpan.FromSeconds(seconds)));
                }
                else
                {
                    Thread.Sleep(TimeSpan.FromSeconds(seconds));
                }
                var (tree1, service1) = sampler.Snapshot();
                phases.Add((viewers, tree1 - tree0, service1 - service0, clock.Elapsed.TotalSeconds));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"phase {i + 1} ({(viewers ? $"{cameras} viewers" : "no viewer")}): tree {100 * (tree1 - tree0) / clock.Elapsed.TotalSeconds:F1} % CPU, service {100 * (service1 - service0) / clock.Elapsed.TotalSeconds:F1} %, load {BenchStamp.LoadAverage()}"));
            }
            sampler.Stop();

            double Percent(bool viewers, Func<(bool Viewers, double TreeCpu, double ServiceCpu, double Wall), double> cpu) =>
                100 * phases.Where(p => p.Viewers == viewers).Sum(cpu) / phases.Where(p => p.Viewers == viewers).Sum(p => p.Wall);
            Console.WriteLine();
            BenchStamp.Print(BenchStamp.Binary(hv) + $", homevault serve recording {cameras} camsim cameras, viewers are WebSocket clients in the benchmark process", loadAtStart);
            Console.WriteLine($"| CPU, % of one core, {pairs} x {seconds} s each, alternating | no viewer (A) | one viewer per camera (B) | B/A |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var (name, cpu) in new (string, Func<(bool Viewers, double TreeCpu, double ServiceCpu, double Wall), double>)[] { ("serve tree (service + ffmpeg)", p => p.TreeCpu), ("service process only", p => p.ServiceCpu) })
            {
                var (a, b) = (Percent(false, cpu), Percent(true, cpu));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {a:F1} | {b:F1} | {b / a:F3}x |"));
            }
            Console.WriteLine();
            Console.WriteLine($"| live latency, s, {cameras} viewers, {latencies.Count} fragments | median | p95 | max |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var (name, values) in new[]
            {
                ("age of a fragment's first frame when it reaches the viewer", latencies.Select(l => l.Age).Order().ToList()),
                ("of which after its last frame (recorder to viewer)", latencies.Select(l => l.Delivery).Order().ToList()),
            })
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {At(values, 0.5):F3} | {At(values, 0.95):F3} | {values[^1]:F3} |"));
            }
            return 0;
        }
        finally
        {
            IntakeBench.StopAll(started);
            Directory.Delete(work, recursive: true);
        }
    }

    private static double At(List<double> sorted, double q) => sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(q * sorted.Count))];

    private static (Process Serve, string Data, Uri Console) StartServe(string hv, string work, List<string> urls, List<Process> started)
    {
        var pass = Path.Combine(work, "pass");
        File.WriteAllText(pass, Passphrase + "\n");
        var data = Path.Combine(work, "data");
        Tool.Run(hv, "init", "--data", data, "--owner", "alice", "--passphrase-file", pass);
        var config = IntakeBench.ServeConfig(work, data, urls);
        var serve = IntakeBench.Start(hv, ["serve", "--config", config], started);
        var http = Path.Combine(data, "status", "http.json");
        IntakeBench.Wait(() => File.Exists(http), 60, "serve published no HTTP address");
        var console = new Uri(JsonDocument.Parse(File.ReadAllText(http)).RootElement.GetProperty("console")[0].GetString()!);
        IntakeBench.Wait(() => IntakeBench.Clips(hv, data).Select(c => c.Camera).Distinct().Count() == urls.Count, 120, "not every camera sealed a clip");
        return (serve, data, console);
    }

    /// <summary>Unlocks the console as the owner; the client holds the session cookie in <c>Cookies</c>.</summary>
    private static (HttpClient Http, CookieContainer Cookies) Unlock(Uri console)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = console };
        var form = http.GetStringAsync("/console/login").GetAwaiter().GetResult();
        var token = WebUtility.HtmlDecode(CsrfField().Match(form).Groups[1].Value);
        using var answer = http.PostAsync("/console/login", new FormUrlEncodedContent(
            [new("owner", "alice"), new("passphrase", Passphrase), new("_csrf", token)])).GetAwaiter().GetResult();
        if (answer.StatusCode != HttpStatusCode.Redirect || answer.Headers.Location?.OriginalString != "/console")
        {
            throw new InvalidOperationException($"unlock failed: {(int)answer.StatusCode}");
        }
        return (http, cookies);
    }

    /// <summary>One viewer per camera for <paramref name="duration"/>; for each fragment, the age of its first and its last frame on arrival, in seconds.</summary>
    private static List<(double Age, double Delivery)> Watch(string hv, string data, Uri console, CookieContainer cookies, int cameras, TimeSpan duration)
    {
        var firstClip = IntakeBench.Clips(hv, data).GroupBy(c => c.Camera).ToDictionary(g => g.Key, g => g.Min(c => c.Start));
        using var stop = new CancellationTokenSource(duration);
        var viewers = Enumerable.Range(1, cameras).Select(i => $"cam{i:D2}").Select(camera => Task.Run(async () =>
        {
            using var socket = new ClientWebSocket();
            socket.Options.Cookies = cookies;
            socket.Options.SetRequestHeader("Origin", console.GetLeftPart(UriPartial.Authority));
            await socket.ConnectAsync(new UriBuilder(console) { Scheme = "ws", Path = $"/console/live/{camera}/socket" }.Uri, CancellationToken.None);
            var ages = new List<(double Age, double Delivery)>();
            var buffer = new byte[16 << 20];
            byte[]? init = null;
            try
            {
                while (true)
                {
                    var length = 0;
                    ValueWebSocketReceiveResult r;
                    do
                    {
                        r = await socket.ReceiveAsync(buffer.AsMemory(length), stop.Token);
                        length += r.Count;
                    }
                    while (!r.EndOfMessage);
                    var arrived = DateTimeOffset.UtcNow;
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }
                    if (r.MessageType == WebSocketMessageType.Text)
                    {
                        continue;
                    }
                    if (init is null)
                    {
                        init = buffer[..length];
                        continue;
                    }
                    var reader = new Fmp4Reader(new MemoryStream([.. init, .. buffer.AsSpan(0, length)]));
                    await reader.ReadInitSegmentAsync(CancellationToken.None);
                    var fragment = (await reader.ReadFragmentAsync(CancellationToken.None))!.Value;
                    ages.Add(((arrived - (firstClip[camera] + fragment.Start)).TotalSeconds, (arrived - (firstClip[camera] + fragment.End)).TotalSeconds));
                }
            }
            catch (OperationCanceledException)
            {
                // The phase is over.
            }
            return ages;
        })).ToList();
        return Task.WhenAll(viewers).GetAwaiter().GetResult().SelectMany(a => a).ToList();
    }

    [GeneratedRegex("name=\"_csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
