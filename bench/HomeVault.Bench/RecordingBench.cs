using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HomeVault.Bench;

/// <summary>
/// `recording [--cameras N] [--seconds S] [--size WxH] [--bitrate 4M] [--find-max] [--soak MINUTES]`:
/// the recorder against what popular NVRs run, on the same simulated cameras (tools/camsim, 127.0.0.1 only).
/// Run A (peer): N bare `ffmpeg -rtsp_transport tcp -i URL -c copy -f segment -segment_time 60` writing
/// plaintext MP4 segments, stopped with `q`. Run B: `homevault serve` (Release build of src/HomeVault.Cli)
/// recording the same N cameras into a fresh data directory, every clip age-sealed as it is written.
/// CPU is the rusage of the whole process tree: each side runs under /usr/bin/time, whose wait4 rusage
/// includes every descendant the process reaped (ffmpeg children that exit are counted), cross-checked by
/// sampling /proc/PID/stat of the tree every 0.5 s. Peak RSS is VmHWM from /proc/PID/status.
/// `--find-max` runs HomeVault alone at growing N until it stops keeping up; `--soak` samples the .NET
/// process's RSS every 10 s. A benchmark that prints: it asserts nothing about time.
/// </summary>
public static class RecordingBench
{
    private const int Fps = 15;
    private const int Gop = 30;
    private const int ClipSeconds = 60;

    private sealed record Settings(int Cameras, int Seconds, string Size, string Bitrate, bool FindMax, double SoakMinutes, int MaxCameras);

    public static int Run(string[] args)
    {
        var findMax = args.Contains("--find-max");
        var soak = Option(args, "--soak", 0.0);
        var settings = new Settings(
            Cameras: (int)Option(args, "--cameras", soak > 0 ? 16 : 8),
            Seconds: (int)Option(args, "--seconds", findMax ? 60 : 120),
            Size: OptionText(args, "--size", "1920x1080"),
            Bitrate: OptionText(args, "--bitrate", "4M"),
            FindMax: findMax,
            SoakMinutes: soak,
            MaxCameras: (int)Option(args, "--max-cameras", 48));
        var work = Path.Combine(Path.GetTempPath(), $"hv-recbench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        // Processes are killed and the work directory removed on every way out: return, exception, Ctrl-C, SIGTERM.
        void Cleanup()
        {
            Children.KillAll();
            try
            {
                if (Directory.Exists(work))
                {
                    Directory.Delete(work, recursive: true);
                }
            }
            catch (IOException)
            {
            }
        }
        ConsoleCancelEventHandler onCancel = (_, _) => Cleanup();
        EventHandler onExit = (_, _) => Cleanup();
        Console.CancelKeyPress += onCancel;
        AppDomain.CurrentDomain.ProcessExit += onExit;
        try
        {
            return RunIn(work, settings);
        }
        finally
        {
            Cleanup();
            Console.CancelKeyPress -= onCancel;
            AppDomain.CurrentDomain.ProcessExit -= onExit;
        }
    }

    private static int RunIn(string work, Settings s)
    {
        var root = RepoRoot();
        var hv = BuildCli(root);
        var cams = s.FindMax ? s.MaxCameras : s.Cameras;
        // Each client gets its own playback from the start, so a stream must outlast one run; the brief asks
        // for more than 2×S plus a margin. One length (at least 720 s) for every mode keeps one cached encode.
        // A soak is one run, so its streams need only outlast it (a 1020 s encode for an 8-minute soak cost 5 minutes).
        var streamSeconds = s.SoakMinutes > 0 ? Math.Max(720, (int)Math.Ceiling(s.SoakMinutes * 60) + 120) : Math.Max(720, 2 * s.Seconds + 60);
        Console.WriteLine($"recording bench: {Environment.ProcessorCount} cores, load average {LoadAverage()} at start, {DateTime.UtcNow:HH:mm:ss} UTC");
        Console.WriteLine($"cameras: camsim testsrc2+noise {s.Size} @ {Fps} fps, libx264 -g {Gop} -b:v {s.Bitrate}, {streamSeconds} s per client, {cams} mounts on 127.0.0.1");
        Console.WriteLine("camsim: the first encode of a 1080p clip takes several minutes (x264 at a few times real time on 2 cores); it is cached in /tmp/camsim-cache after that.");
        var camsim = Camsim.Start(root, cams, s.Size, s.Bitrate, streamSeconds);
        Console.WriteLine($"camsim ready on port {camsim.Port} after {camsim.ReadyAfter.TotalSeconds:F0} s");

        if (s.SoakMinutes > 0)
        {
            return Soak(work, hv, camsim, s.Cameras, s.SoakMinutes);
        }
        if (s.FindMax)
        {
            return FindMax(work, hv, camsim, s.Seconds, s.MaxCameras);
        }
        return Compare(work, hv, camsim, s.Cameras, s.Seconds);
    }

    // ------------------------------------------------------------------ comparison

    private static int Compare(string work, string hv, Camsim camsim, int n, int seconds)
    {
        var urls = camsim.Urls.Take(n).ToList();
        Console.WriteLine();
        Console.WriteLine($"run A: {n} × bare ffmpeg -c copy -f segment (plaintext), {seconds} s, load {LoadAverage()}");
        var a = RunPeer(Path.Combine(work, "peer"), urls, seconds, camsim);
        Console.WriteLine($"run B: homevault serve, {n} cameras, ClipSeconds {ClipSeconds}, {seconds} s, load {LoadAverage()}");
        var b = RunHomeVault(Path.Combine(work, "hv"), hv, urls, seconds, camsim, rssEvery: null);
        Console.WriteLine($"load average after the runs: {LoadAverage()}");

        Console.WriteLine();
        Console.WriteLine($"| side ({n} cameras, {seconds} s)        | CPU s | CPU % of 1 core | peak RSS                                   | bytes stored  | media s per camera (min / max / sum) |");
        Console.WriteLine("|-----------------------------------|------:|----------------:|--------------------------------------------|--------------:|--------------------------------------|");
        Console.WriteLine($"| A: bare ffmpeg ×{n,-2} (plaintext)     | {a.CpuSeconds,5:F1} | {a.CpuPercent,14:F0}% | ffmpeg max {Mb(a.FfmpegMaxHwmKb),6}, sum {Mb(a.FfmpegSumHwmKb),-18} | {a.Bytes,13:N0} | {a.MediaMin,7:F1} / {a.MediaMax,7:F1} / {a.MediaSum,8:F1}   |");
        Console.WriteLine($"| B: HomeVault (sealed, .NET+ffmpeg) | {b.CpuSeconds,5:F1} | {b.CpuPercent,14:F0}% | .NET {Mb(b.DotnetHwmKb),6}; ffmpeg max {Mb(b.FfmpegMaxHwmKb)}, sum {Mb(b.FfmpegSumHwmKb),-7} | {b.Bytes,13:N0} | {b.MediaMin,7:F1} / {b.MediaMax,7:F1} / {b.MediaSum,8:F1}   |");
        Console.WriteLine();
        var cpuRatio = b.CpuSeconds / a.CpuSeconds;
        var byteRatio = (double)b.Bytes / a.Bytes;
        Console.WriteLine($"HomeVault/ffmpeg: CPU {cpuRatio:F2}×, bytes {byteRatio:F3}× (age adds a header and 16 bytes per 64 KiB chunk; fMP4 and MP4 segments differ slightly too)");
        Console.WriteLine($"CPU per recorded media second: A {1000 * a.CpuSeconds / a.MediaSum:F1} ms, B {1000 * b.CpuSeconds / b.MediaSum:F1} ms → {b.CpuSeconds / b.MediaSum / (a.CpuSeconds / a.MediaSum):F2}× (B also pays .NET start-up/JIT and its shutdown inside its CPU s)");
        Console.WriteLine($"wall seconds: A {a.WallSeconds:F1} (mean per ffmpeg), B {b.WallSeconds:F1} (serve process, incl. .NET start-up and shutdown)");
        Console.WriteLine($"CPU cross-check from /proc sampling (misses < 0.5 s per process that exits between samples): A {a.SampledCpuSeconds:F1} s, B {b.SampledCpuSeconds:F1} s");
        Console.WriteLine($"HomeVault CPU split (sampled): .NET process {b.DotnetCpuSeconds:F1} s, its ffmpeg children {b.SampledCpuSeconds - b.DotnetCpuSeconds:F1} s; camsim used {a.CamsimCpuSeconds:F1} s (A) and {b.CamsimCpuSeconds:F1} s (B) on the same cores");
        Console.WriteLine($"HomeVault: {b.Clips} clips ({b.Complete} complete, {b.Truncated} truncated, {b.OtherStates} other), largest gap between consecutive clips of a camera {b.MaxGap:F3} s, runs per camera max {b.MaxRuns}, first clip started {b.StartupSeconds:F1} s after serve started");
        Console.WriteLine($"HomeVault status/cameras.json near the end: {b.StatusSummary}");
        Console.WriteLine($"bare ffmpeg: {a.Clips} segments, all ffprobe-readable: {(a.Unreadable == 0 ? "yes" : $"NO ({a.Unreadable} unreadable)")}");
        PrintPerCamera(a, b);

        var worstShortfall = urls.Select((_, i) => a.PerCamera[i] - b.PerCamera[i]).Max();
        var noDrop = b.Truncated == 0 && b.OtherStates == 0 && b.MaxGap < 0.05 && b.AllRecording && worstShortfall < 1.5;
        Console.WriteLine();
        Console.WriteLine("| target                                         | measured                    | met |");
        Console.WriteLine("|------------------------------------------------|-----------------------------|-----|");
        Console.WriteLine($"| HomeVault CPU <= 1.10 × bare ffmpeg             | {cpuRatio,6:F2}×                     | {YesNo(cpuRatio <= 1.10)} |");
        var memNote = n == 16 ? "" : $" (at {n} cams)";
        Console.WriteLine($"| HomeVault service memory < 150 MB at 16 cams   | {Mb(b.DotnetHwmKb) + memNote,-27} | {(n == 16 ? YesNo(b.DotnetHwmKb < 150 * 1024) : (b.DotnetHwmKb < 150 * 1024 ? "n/a" : "NO "))} |");
        Console.WriteLine($"| no fragment dropped                            | {(noDrop ? "none seen" : "see above"),-27} | {YesNo(noDrop)} |");
        Console.WriteLine("(no fragment dropped = every clip complete, consecutive clips contiguous, every camera recording in status, and each camera's HomeVault media within 1.5 s of bare ffmpeg's)");
        return 0;
    }

    private static void PrintPerCamera(PeerResult a, HvResult b)
    {
        Console.WriteLine();
        Console.WriteLine("| camera | ffmpeg media s | ffmpeg segments | HomeVault media s | HomeVault clips | status   |");
        Console.WriteLine("|--------|---------------:|----------------:|------------------:|----------------:|----------|");
        for (var i = 0; i < a.PerCamera.Count; i++)
        {
            var name = CamName(i);
            Console.WriteLine($"| {name,-6} | {a.PerCamera[i],14:F2} | {a.PerCameraCount[i],15} | {b.PerCamera[i],17:F2} | {b.PerCameraCount[i],15} | {b.StatusByCamera.GetValueOrDefault(name, "?"),-8} |");
        }
    }

    // ------------------------------------------------------------------ find-max

    private static int FindMax(string work, string hv, Camsim camsim, int seconds, int maxCameras)
    {
        Console.WriteLine();
        Console.WriteLine($"find-max: HomeVault alone, {seconds} s per step; keeps up = every camera recording in status near the end, each camera's media >= 95% of (run seconds - start-up), CPU < 190% of one core");
        Console.WriteLine("| cameras | CPU s | CPU % of 1 core | .NET peak RSS | min media/expected | all recording | load before | keeps up |");
        Console.WriteLine("|--------:|------:|----------------:|--------------:|-------------------:|---------------|-------------|----------|");
        var best = 0;
        foreach (var n in new[] { 4, 8, 12, 16, 20, 24, 28, 32, 40, 48 }.Where(k => k <= maxCameras))
        {
            var load = LoadAverage();
            var r = RunHomeVault(Path.Combine(work, $"max{n}"), hv, camsim.Urls.Take(n).ToList(), seconds, camsim, rssEvery: null);
            var expected = seconds - r.StartupSeconds;
            var fraction = r.MediaMin / expected;
            var ok = r.AllRecording && fraction >= 0.95 && r.CpuPercent < 190;
            Console.WriteLine($"| {n,7} | {r.CpuSeconds,5:F1} | {r.CpuPercent,14:F0}% | {Mb(r.DotnetHwmKb),13} | {fraction,18:P1} | {(r.AllRecording ? "yes" : "NO: " + r.StatusSummary),-13} | {load,-11} | {(ok ? "yes" : "NO"),-8} |");
            if (!ok)
            {
                break;
            }
            best = n;
        }
        Console.WriteLine();
        Console.WriteLine(best == 0 ? "HomeVault did not keep up even at 4 cameras" : $"largest N at which HomeVault kept up: {best} cameras (with camsim serving them on the same cores)");
        return 0;
    }

    // ------------------------------------------------------------------ soak

    private static int Soak(string work, string hv, Camsim camsim, int n, double minutes)
    {
        var seconds = (int)Math.Round(minutes * 60);
        Console.WriteLine();
        Console.WriteLine($"soak: homevault serve, {n} cameras, {minutes:F1} min, .NET process RSS every 10 s, load {LoadAverage()}");
        var samples = new List<(double Minutes, long RssKb)>();
        var r = RunHomeVault(Path.Combine(work, "soak"), hv, camsim.Urls.Take(n).ToList(), seconds, camsim, rssEvery: samples);
        Console.WriteLine($"load average at the end: {LoadAverage()}");
        if (samples.Count < 2)
        {
            Console.Error.WriteLine("too few RSS samples");
            return 1;
        }
        var half = samples.Where(x => x.Minutes >= samples[^1].Minutes / 2).ToList();
        var slope = Slope(half);
        Console.WriteLine();
        Console.WriteLine("| minute | .NET RSS |");
        Console.WriteLine("|-------:|---------:|");
        foreach (var x in samples.Where((_, i) => i % 6 == 0 || i == samples.Count - 1))
        {
            Console.WriteLine($"| {x.Minutes,6:F1} | {Mb(x.RssKb),8} |");
        }
        Console.WriteLine();
        Console.WriteLine($"RSS first {Mb(samples[0].RssKb)}, max {Mb(samples.Max(x => x.RssKb))}, last {Mb(samples[^1].RssKb)}; slope over the second half ({half.Count} samples): {slope / 1024:+0.00;-0.00} MB/min; VmHWM {Mb(r.DotnetHwmKb)}");
        Console.WriteLine($"CPU {r.CpuSeconds:F1} s = {r.CpuPercent:F0}% of one core; media per camera min {r.MediaMin:F1} s / max {r.MediaMax:F1} s of {seconds} s; {r.Clips} clips ({r.Truncated} truncated); status near the end: {r.StatusSummary}");
        return 0;
    }

    private static double Slope(List<(double Minutes, long RssKb)> points)
    {
        var mx = points.Average(p => p.Minutes);
        var my = points.Average(p => (double)p.RssKb);
        var num = points.Sum(p => (p.Minutes - mx) * (p.RssKb - my));
        var den = points.Sum(p => (p.Minutes - mx) * (p.Minutes - mx));
        return den == 0 ? 0 : num / den;
    }

    // ------------------------------------------------------------------ run A: bare ffmpeg

    private sealed class PeerResult
    {
        public double CpuSeconds;
        public double CpuPercent;
        public double SampledCpuSeconds;
        public double WallSeconds;
        public long FfmpegMaxHwmKb;
        public long FfmpegSumHwmKb;
        public long Bytes;
        public List<double> PerCamera = [];
        public List<int> PerCameraCount = [];
        public int Clips;
        public int Unreadable;
        public double CamsimCpuSeconds;
        public double MediaMin => PerCamera.Min();
        public double MediaMax => PerCamera.Max();
        public double MediaSum => PerCamera.Sum();
    }

    private static PeerResult RunPeer(string dir, List<string> urls, int seconds, Camsim camsim)
    {
        Directory.CreateDirectory(dir);
        var procs = new List<Child>();
        var camsimBefore = ProcStat.CpuTicks(camsim.Pid);
        var sampler = new TreeSampler();
        for (var i = 0; i < urls.Count; i++)
        {
            var camDir = Path.Combine(dir, CamName(i));
            Directory.CreateDirectory(camDir);
            procs.Add(Child.Start("/usr/bin/time",
                ["-f", "%e %U %S %M", "-o", Path.Combine(dir, CamName(i) + ".time"),
                 "ffmpeg", "-hide_banner", "-nostats", "-loglevel", "error", "-rtsp_transport", "tcp", "-i", urls[i],
                 "-c", "copy", "-f", "segment", "-segment_time", "60", "-reset_timestamps", "1", Path.Combine(camDir, "OUT%05d.mp4")],
                stdin: true));
        }
        foreach (var p in procs)
        {
            sampler.AddRoot(p.Pid);
        }
        sampler.Start();
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        foreach (var p in procs)
        {
            p.SendQuit();
        }
        foreach (var p in procs)
        {
            p.WaitOrKill(TimeSpan.FromSeconds(20));
        }
        sampler.Stop();
        var camsimAfter = ProcStat.CpuTicks(camsim.Pid);

        var r = new PeerResult { CamsimCpuSeconds = (camsimAfter - camsimBefore) / ProcStat.Hz };
        var walls = new List<double>();
        for (var i = 0; i < urls.Count; i++)
        {
            var t = TimeFile(Path.Combine(dir, CamName(i) + ".time"));
            r.CpuSeconds += t.User + t.Sys;
            walls.Add(t.Elapsed);
            r.FfmpegMaxHwmKb = Math.Max(r.FfmpegMaxHwmKb, t.MaxRssKb);
            r.FfmpegSumHwmKb += t.MaxRssKb;
            if (procs[i].ExitCode != 0)
            {
                Console.WriteLine($"  ffmpeg {CamName(i)} exited {procs[i].ExitCode}: {procs[i].Tail()}");
            }
            double media = 0;
            var files = Directory.GetFiles(Path.Combine(dir, CamName(i)), "*.mp4").Order(StringComparer.Ordinal).ToList();
            foreach (var f in files)
            {
                r.Bytes += new FileInfo(f).Length;
                var d = Ffprobe(f);
                if (d is null)
                {
                    r.Unreadable++;
                }
                media += d ?? 0;
            }
            r.Clips += files.Count;
            r.PerCamera.Add(media);
            r.PerCameraCount.Add(files.Count);
        }
        r.WallSeconds = walls.Average();
        r.CpuPercent = 100 * r.CpuSeconds / r.WallSeconds;
        r.SampledCpuSeconds = sampler.TotalCpuSeconds();
        Directory.Delete(dir, recursive: true);
        return r;
    }

    // ------------------------------------------------------------------ run B: homevault serve

    private sealed class HvResult
    {
        public double CpuSeconds;
        public double CpuPercent;
        public double SampledCpuSeconds;
        public double DotnetCpuSeconds;
        public double WallSeconds;
        public long DotnetHwmKb;
        public long FfmpegMaxHwmKb;
        public long FfmpegSumHwmKb;
        public long Bytes;
        public List<double> PerCamera = [];
        public List<int> PerCameraCount = [];
        public int Clips;
        public int Complete;
        public int Truncated;
        public int OtherStates;
        public double MaxGap;
        public int MaxRuns;
        public double StartupSeconds;
        public bool AllRecording;
        public string StatusSummary = "no status file read";
        public Dictionary<string, string> StatusByCamera = [];
        public double CamsimCpuSeconds;
        public double MediaMin => PerCamera.Min();
        public double MediaMax => PerCamera.Max();
        public double MediaSum => PerCamera.Sum();
    }

    private static HvResult RunHomeVault(string dir, string hv, List<string> urls, int seconds, Camsim camsim, List<(double, long)>? rssEvery)
    {
        Directory.CreateDirectory(dir);
        var data = Path.Combine(dir, "data");
        var passFile = Path.Combine(dir, "passphrase");
        File.WriteAllText(passFile, "recording bench passphrase, not a secret\n");
        Exec("dotnet", hv, "init", "--data", data, "--owner", "bench", "--passphrase-file", passFile);
        var config = Path.Combine(dir, "homevault.json");
        var cameras = urls.Select((u, i) => new Dictionary<string, object> { ["Name"] = CamName(i), ["Url"] = u, ["ClipSeconds"] = ClipSeconds }).ToList();
        File.WriteAllText(config, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["HomeVault"] = new Dictionary<string, object>
            {
                ["DataDirectory"] = data,
                ["Retention"] = new Dictionary<string, object> { ["Days"] = 30, ["MaxBytes"] = 0, ["MinFreeBytes"] = 1_000_000 },
                ["Cameras"] = cameras,
            },
        }));

        var camsimBefore = ProcStat.CpuTicks(camsim.Pid);
        var timeFile = Path.Combine(dir, "serve.time");
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var serve = Child.Start("/usr/bin/time", ["-f", "%e %U %S %M", "-o", timeFile, "dotnet", hv, "serve", "--config", config, "--duration", seconds.ToString(CultureInfo.InvariantCulture)], stdin: false);
        var sampler = new TreeSampler();
        sampler.AddRoot(serve.Pid);
        sampler.Start();
        var statusPath = Path.Combine(data, "status", "cameras.json");
        JsonDocument? lastStatus = null;
        var nextRss = 0.0;
        while (!serve.HasExited)
        {
            Thread.Sleep(250);
            var t = clock.Elapsed.TotalSeconds;
            if (t < seconds - 2.5 && File.Exists(statusPath))
            {
                try
                {
                    var doc = JsonDocument.Parse(File.ReadAllText(statusPath));
                    lastStatus?.Dispose();
                    lastStatus = doc;
                }
                catch (Exception e) when (e is IOException or JsonException)
                {
                }
            }
            if (rssEvery is not null && t >= nextRss && sampler.DotnetPid is { } dp && ProcStat.StatusKb(dp, "VmRSS:") is { } rss)
            {
                rssEvery.Add((t / 60, rss));
                nextRss += 10;
            }
        }
        sampler.Stop();
        var camsimAfter = ProcStat.CpuTicks(camsim.Pid);
        if (serve.ExitCode != 0)
        {
            throw new InvalidOperationException($"homevault serve exited {serve.ExitCode}: {serve.Tail()}");
        }
        var r = new HvResult { CamsimCpuSeconds = (camsimAfter - camsimBefore) / ProcStat.Hz };
        var tf = TimeFile(timeFile);
        r.CpuSeconds = tf.User + tf.Sys;
        r.WallSeconds = tf.Elapsed;
        r.CpuPercent = 100 * r.CpuSeconds / r.WallSeconds;
        r.SampledCpuSeconds = sampler.TotalCpuSeconds();
        r.DotnetCpuSeconds = sampler.CpuSecondsOf("dotnet");
        r.DotnetHwmKb = sampler.MaxHwmOf("dotnet");
        var ffmpegHwm = sampler.HwmsOf("ffmpeg");
        r.FfmpegMaxHwmKb = ffmpegHwm.DefaultIfEmpty().Max();
        // One ffmpeg per camera alive at a time (restarts would be new pids): sum of the N largest.
        r.FfmpegSumHwmKb = ffmpegHwm.OrderDescending().Take(urls.Count).Sum();
        var warnings = serve.Lines().Count(l => l.Contains("warn", StringComparison.OrdinalIgnoreCase) || l.Contains("fail", StringComparison.OrdinalIgnoreCase));
        if (warnings > 0)
        {
            Console.WriteLine($"  homevault logged {warnings} warning/error lines; last: {serve.Tail()}");
        }

        // Status near the end of the run (read while the recorder was still running).
        if (lastStatus is not null)
        {
            foreach (var cam in lastStatus.RootElement.GetProperty("cameras").EnumerateArray())
            {
                r.StatusByCamera[cam.GetProperty("name").GetString()!] = cam.GetProperty("state").GetString()!;
                r.MaxRuns = Math.Max(r.MaxRuns, cam.GetProperty("runs").GetInt32());
            }
            var written = lastStatus.RootElement.GetProperty("written").GetDateTimeOffset();
            r.AllRecording = urls.Select((_, i) => CamName(i)).All(c => r.StatusByCamera.GetValueOrDefault(c) == "recording");
            r.StatusSummary = $"written at t={(written - started).TotalSeconds:F0} s: " + string.Join(", ", r.StatusByCamera.GroupBy(kv => kv.Value).Select(g => $"{g.Count()} {g.Key}"));
            lastStatus.Dispose();
        }

        // Recorded media: the catalog's clips (end - start is the clip's media duration). Nothing is decrypted.
        var json = Exec("dotnet", hv, "clips", "list", "--data", data, "--json");
        using var clips = JsonDocument.Parse(json);
        var byCam = clips.RootElement.EnumerateArray()
            .Select(c => (Camera: c.GetProperty("camera").GetString()!, Start: c.GetProperty("start").GetDateTimeOffset(), End: c.GetProperty("end").GetDateTimeOffset(),
                          Bytes: c.GetProperty("bytes").GetInt64(), State: c.GetProperty("state").GetString()!))
            .ToLookup(c => c.Camera);
        var firstStart = DateTimeOffset.MaxValue;
        for (var i = 0; i < urls.Count; i++)
        {
            var list = byCam[CamName(i)].OrderBy(c => c.Start).ToList();
            r.PerCamera.Add(list.Sum(c => (c.End - c.Start).TotalSeconds));
            r.PerCameraCount.Add(list.Count);
            r.Clips += list.Count;
            r.Complete += list.Count(c => c.State == "complete");
            r.Truncated += list.Count(c => c.State == "truncated");
            r.OtherStates += list.Count(c => c.State is not ("complete" or "truncated"));
            for (var k = 1; k < list.Count; k++)
            {
                r.MaxGap = Math.Max(r.MaxGap, Math.Abs((list[k].Start - list[k - 1].End).TotalSeconds));
            }
            if (list.Count > 0 && list[0].Start < firstStart)
            {
                firstStart = list[0].Start;
            }
        }
        r.StartupSeconds = firstStart == DateTimeOffset.MaxValue ? seconds : (firstStart - started).TotalSeconds;
        r.Bytes = Directory.EnumerateFiles(Path.Combine(data, "clips"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Directory.Delete(dir, recursive: true);
        return r;
    }

    // ------------------------------------------------------------------ helpers

    private static string CamName(int i) => $"cam{i + 1:D2}";

    private static string Mb(long kb) => $"{kb / 1024.0:F0} MB";

    private static string YesNo(bool ok) => ok ? "yes" : "NO ";

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static (double Elapsed, double User, double Sys, long MaxRssKb) TimeFile(string path)
    {
        // GNU time may prepend "Command exited with non-zero status N"; the format line is the last one.
        var line = File.ReadAllLines(path).Last(l => l.Length > 0);
        var f = line.Split(' ');
        double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
        return (D(0), D(1), D(2), long.Parse(f[3], CultureInfo.InvariantCulture));
    }

    private static double? Ffprobe(string file)
    {
        var psi = new ProcessStartInfo("ffprobe") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file })
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 && double.TryParse(output.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
    }

    private static string Exec(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var errTask = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args.Take(2))} failed ({p.ExitCode}): {errTask.Result}");
        }
        return output;
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "HomeVault.sln")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException("HomeVault.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Builds the CLI in Release once and returns the path of homevault.dll (run as `dotnet homevault.dll`).</summary>
    private static string BuildCli(string root)
    {
        Console.WriteLine("building src/HomeVault.Cli (Release) ...");
        Exec("dotnet", "build", "-c", "Release", "-nologo", "-v", "q", Path.Combine(root, "src", "HomeVault.Cli"));
        var dll = Directory.GetFiles(Path.Combine(root, "src", "HomeVault.Cli", "bin", "Release"), "homevault.dll", SearchOption.AllDirectories).Single();
        return dll;
    }

    private static double Option(string[] args, string name, double fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string OptionText(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    /// <summary>Every process the bench starts, so each can be killed (with its tree) on any way out.</summary>
    private static class Children
    {
        private static readonly List<Process> Live = [];

        public static void Add(Process p)
        {
            lock (Live)
            {
                Live.Add(p);
            }
        }

        public static void KillAll()
        {
            lock (Live)
            {
                foreach (var p in Live)
                {
                    try
                    {
                        if (!p.HasExited)
                        {
                            p.Kill(entireProcessTree: true);
                            p.WaitForExit(5000);
                        }
                    }
                    catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
                    {
                    }
                }
                Live.Clear();
            }
        }
    }

    /// <summary>A started process whose stdout/stderr are drained into a bounded buffer of recent lines.</summary>
    private sealed class Child
    {
        private readonly Process _p;
        private readonly Queue<string> _lines = new();

        private Child(Process p) => _p = p;

        public int Pid => _p.Id;

        public bool HasExited => _p.HasExited;

        public int ExitCode => _p.ExitCode;

        public static Child Start(string file, IEnumerable<string> args, bool stdin)
        {
            var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardInput = stdin, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }
            var p = new Process { StartInfo = psi };
            var c = new Child(p);
            p.OutputDataReceived += (_, e) => c.Keep(e.Data);
            p.ErrorDataReceived += (_, e) => c.Keep(e.Data);
            p.Start();
            Children.Add(p);
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            return c;
        }

        private void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (_lines)
            {
                _lines.Enqueue(line);
                if (_lines.Count > 200)
                {
                    _lines.Dequeue();
                }
            }
        }

        public List<string> Lines()
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }

        public string Tail() => string.Join(" | ", Lines().TakeLast(3));

        public void SendQuit()
        {
            try
            {
                _p.StandardInput.Write('q');
                _p.StandardInput.Flush();
            }
            catch (IOException)
            {
            }
        }

        public void WaitOrKill(TimeSpan grace)
        {
            if (!_p.WaitForExit(grace))
            {
                Console.WriteLine($"  pid {_p.Id} did not stop within {grace.TotalSeconds:F0} s of 'q'; killing it");
                _p.Kill(entireProcessTree: true);
            }
            _p.WaitForExit();
        }
    }

    /// <summary>The simulator, started once per bench with as many mounts as the largest run needs.</summary>
    private sealed class Camsim
    {
        public required int Pid { get; init; }
        public required int Port { get; init; }
        public required List<string> Urls { get; init; }
        public required TimeSpan ReadyAfter { get; init; }

        public static Camsim Start(string root, int mounts, string size, string bitrate, int streamSeconds)
        {
            var args = new List<string> { Path.Combine(root, "tools", "camsim", "camsim.py"), "--port", "0", "--size", size, "--fps", Fps.ToString(CultureInfo.InvariantCulture),
                "--bitrate", bitrate, "--gop", Gop.ToString(CultureInfo.InvariantCulture), "--seconds", streamSeconds.ToString(CultureInfo.InvariantCulture) };
            for (var i = 0; i < mounts; i++)
            {
                args.Add("--mount");
                args.Add(CamName(i));
            }
            var psi = new ProcessStartInfo("/usr/bin/python3") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }
            var clock = Stopwatch.StartNew();
            var p = Process.Start(psi)!;
            Children.Add(p);
            p.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    Console.WriteLine("  " + e.Data);
                }
            };
            p.BeginErrorReadLine();
            string? line;
            while ((line = p.StandardOutput.ReadLine()) is not null && !line.StartsWith("READY", StringComparison.Ordinal))
            {
            }
            if (line is null)
            {
                throw new InvalidOperationException("camsim exited before READY");
            }
            var fields = line.Split(' ').Skip(1).Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1]);
            return new Camsim
            {
                Pid = p.Id,
                Port = int.Parse(fields["port"], CultureInfo.InvariantCulture),
                Urls = Enumerable.Range(0, mounts).Select(i => fields[CamName(i)]).ToList(),
                ReadyAfter = clock.Elapsed,
            };
        }
    }

    /// <summary>/proc readers.</summary>
    private static class ProcStat
    {
        public const double Hz = 100; // USER_HZ (getconf CLK_TCK) on Linux

        /// <summary>(ppid, utime+stime ticks, comm, starttime) or null if the process is gone.</summary>
        public static (int Ppid, long Ticks, string Comm, long StartTime)? Read(int pid)
        {
            string text;
            try
            {
                text = File.ReadAllText($"/proc/{pid}/stat");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
            var open = text.IndexOf('(', StringComparison.Ordinal);
            var close = text.LastIndexOf(')');
            var comm = text[(open + 1)..close];
            var f = text[(close + 2)..].Split(' ');
            long L(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
            return ((int)L(1), L(11) + L(12), comm, L(19));
        }

        public static long CpuTicks(int pid) => Read(pid)?.Ticks ?? 0;

        public static long? StatusKb(int pid, string key)
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                {
                    if (line.StartsWith(key, StringComparison.Ordinal))
                    {
                        return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
            return null;
        }
    }

    /// <summary>Samples the process trees under some roots every 0.5 s, keeping the last CPU value and the VmHWM of each process.</summary>
    private sealed class TreeSampler
    {
        private readonly HashSet<int> _roots = [];
        private readonly Dictionary<(int Pid, long Start), (string Comm, long Ticks, long HwmKb)> _seen = [];
        private volatile bool _stop;
        private Thread? _thread;

        public int? DotnetPid { get; private set; }

        public void AddRoot(int pid) => _roots.Add(pid);

        public void Start()
        {
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    Sample();
                    Thread.Sleep(500);
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public void Stop()
        {
            _stop = true;
            _thread?.Join();
        }

        private void Sample()
        {
            var all = new Dictionary<int, (int Ppid, long Ticks, string Comm, long StartTime)>();
            foreach (var d in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ProcStat.Read(pid) is { } st)
                {
                    all[pid] = st;
                }
            }
            var tree = new HashSet<int>(_roots.Where(all.ContainsKey));
            for (var grew = true; grew;)
            {
                grew = false;
                foreach (var (pid, st) in all)
                {
                    if (!tree.Contains(pid) && tree.Contains(st.Ppid))
                    {
                        tree.Add(pid);
                        grew = true;
                    }
                }
            }
            lock (_seen)
            {
                foreach (var pid in tree)
                {
                    var st = all[pid];
                    var key = (pid, st.StartTime);
                    var hwm = ProcStat.StatusKb(pid, "VmHWM:") ?? 0;
                    var old = _seen.GetValueOrDefault(key);
                    _seen[key] = (st.Comm, st.Ticks, Math.Max(hwm, old.HwmKb));
                    if (st.Comm == "dotnet")
                    {
                        DotnetPid = pid;
                    }
                }
            }
        }

        public double TotalCpuSeconds()
        {
            lock (_seen)
            {
                return _seen.Values.Sum(v => v.Ticks) / ProcStat.Hz;
            }
        }

        public double CpuSecondsOf(string comm)
        {
            lock (_seen)
            {
                return _seen.Values.Where(v => v.Comm == comm).Sum(v => v.Ticks) / ProcStat.Hz;
            }
        }

        public long MaxHwmOf(string comm) => HwmsOf(comm).DefaultIfEmpty().Max();

        public List<long> HwmsOf(string comm)
        {
            lock (_seen)
            {
                return _seen.Values.Where(v => v.Comm == comm).Select(v => v.HwmKb).ToList();
            }
        }
    }
}
