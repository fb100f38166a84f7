using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using HomeVault.Core;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;

namespace HomeVault.Bench;

/// <summary>
/// `seek [--clips 1440] [--clip-kib 1024] [--seeks 200] [--cli PATH]`: the console's time to first frame after a seek
/// to a random moment of a day, on the server side. A day of one camera (by default 1440 one-minute clips) is sealed
/// through the production clip store; `homevault serve` (no cameras) serves the console, unlocked once. Each seek picks
/// a random clip and a random byte of it and does what the browser does when it lands in a clip it has not opened: the
/// clip's first 64 KiB (init segment and first fragment: the player needs them before any frame) and then 64 KiB from
/// the random byte (the frame's fragment), each read to its last byte; the time is taken around both. The first viewing
/// of each clip also writes its audit entry (fsynced), as in use. Prints p50/p95/max; asserts nothing.
/// </summary>
public static partial class SeekBench
{
    private const int Window = 64 * 1024;

    public static int Run(string[] args)
    {
        var clips = (int)BenchArgs.Num(args, "--clips", 1440);
        var clipBytes = (int)BenchArgs.Num(args, "--clip-kib", 1024) * 1024;
        var seeks = (int)BenchArgs.Num(args, "--seeks", 200);
        var root = NativeCli.RepoRoot();
        var work = Path.Combine(Path.GetTempPath(), $"hv-seekbench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        Process? serve = null;
        try
        {
            var hv = BenchArgs.Text(args, "--cli", "") is { Length: > 0 } cli ? cli : NativeCli.Publish(root, work);
            var pass = Path.Combine(work, "pass");
            File.WriteAllText(pass, "seek bench passphrase\n");
            var data = Path.Combine(work, "data");
            Tool.Run(hv, "init", "--data", data, "--owner", "alice", "--passphrase-file", pass);
            var day = DateTimeOffset.UtcNow.Date.AddDays(-1);
            var ids = SealDay(data, new DateTimeOffset(day, TimeSpan.Zero), clips, clipBytes);
            Console.WriteLine($"seek bench: {clips} clips of {clipBytes / 1024} KiB sealed over {day:yyyy-MM-dd}; {seeks} seeks; load {BenchStamp.LoadAverage()}");

            var config = Path.Combine(work, "homevault.json");
            File.WriteAllText(config, JsonSerializer.Serialize(new
            {
                HomeVault = new { DataDirectory = data, Retention = new { Days = 30, MaxBytes = 0, MinFreeBytes = 1_000_000 }, Cameras = Array.Empty<object>() },
                Http = new { IntakeUrls = "http://127.0.0.1:0", ConsoleUrls = "http://127.0.0.1:0" },
            }));
            var psi = new ProcessStartInfo(hv) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "serve", "--config", config })
            {
                psi.ArgumentList.Add(a);
            }
            serve = Process.Start(psi)!;
            serve.OutputDataReceived += (_, _) => { };
            serve.ErrorDataReceived += (_, _) => { };
            serve.BeginOutputReadLine();
            serve.BeginErrorReadLine();
            var http = Path.Combine(data, "status", "http.json");
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!File.Exists(http))
            {
                Thread.Sleep(200);
                if (DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException("serve published no HTTP address");
                }
            }
            var console = new Uri(JsonDocument.Parse(File.ReadAllText(http)).RootElement.GetProperty("console")[0].GetString()!);
            using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = console };
            Unlock(client, File.ReadAllText(pass).Trim());

            // Warm-up (JIT in a JIT build, connection, page cache of the catalog), not measured.
            foreach (var id in ids.Take(5))
            {
                Fetch(client, id, 0);
            }
            var random = new Random(42);
            var times = new List<double>();
            var loadAtStart = BenchStamp.LoadAverage();
            for (var i = 0; i < seeks; i++)
            {
                var id = ids[random.Next(5, ids.Count)];
                var at = random.NextInt64(0, clipBytes - Window);
                var watch = Stopwatch.StartNew();
                Fetch(client, id, 0);
                Fetch(client, id, at);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            Console.WriteLine();
            BenchStamp.Print(BenchStamp.Binary(hv) + ", homevault serve's console on loopback", loadAtStart);
            Console.WriteLine("| seek to a random moment of a day | p50 ms | p95 ms | max ms |");
            Console.WriteLine("|---|---:|---:|---:|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {seeks} seeks, {clips} clips of {clipBytes / 1024} KiB: first 64 KiB + 64 KiB at the moment | {Percentile(times, 0.5):F1} | {Percentile(times, 0.95):F1} | {times[^1]:F1} |"));
            return 0;
        }
        finally
        {
            if (serve is not null)
            {
                serve.Kill(entireProcessTree: true);
                serve.WaitForExit();
            }
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Seals <paramref name="count"/> clips of random bytes back to back from <paramref name="start"/>, spread over the day.</summary>
    private static List<long> SealDay(string dataDir, DateTimeOffset start, int count, int bytes)
    {
        var data = new DataDirectory(dataDir);
        using var db = CatalogDatabase.Open(data.CatalogPath);
        using var audit = InstallationAudit.Open(data, db);
        var store = new ClipStore(data, db, audit.Log);
        var length = TimeSpan.FromDays(1) / count;
        var plaintext = new byte[bytes];
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            RandomNumberGenerator.Fill(plaintext);
            using var clip = store.Begin("front", null, start + (i * length));
            clip.Write(plaintext);
            ids.Add(clip.Complete(start + ((i + 1) * length)).Id);
        }
        return ids;
    }

    private static void Unlock(HttpClient client, string passphrase)
    {
        var page = client.GetStringAsync("/console/login").GetAwaiter().GetResult();
        var token = WebUtility.HtmlDecode(CsrfField().Match(page).Groups[1].Value);
        using var form = new FormUrlEncodedContent([new("owner", "alice"), new("passphrase", passphrase), new("_csrf", token)]);
        using var response = client.PostAsync("/console/login", form).GetAwaiter().GetResult();
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"unlocking the console answered {(int)response.StatusCode}");
        }
    }

    /// <summary>Reads <see cref="Window"/> bytes of clip <paramref name="id"/> from <paramref name="at"/> to the last byte.</summary>
    private static void Fetch(HttpClient client, long id, long at)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/console/clips/{id}/media");
        request.Headers.TryAddWithoutValidation("Range", string.Create(CultureInfo.InvariantCulture, $"bytes={at}-{at + Window - 1}"));
        using var response = client.Send(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.PartialContent)
        {
            throw new InvalidOperationException($"clip {id} at {at}: {(int)response.StatusCode}");
        }
        var body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        if (body.Length != Window)
        {
            throw new InvalidOperationException($"clip {id} at {at}: {body.Length} bytes");
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];

    [GeneratedRegex("name=\"_csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
