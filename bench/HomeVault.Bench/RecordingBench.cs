using System.Diagnostics;
using System.Globalization;
using System.Text;
using HomeVault.Recording.Simulation;

namespace HomeVault.Bench;

/// <summary>
/// `recording [--cameras N] [--seconds S] [--pairs K [--together]] [--size WxH] [--bitrate 4M] [--find-max [--min-cameras N]] [--soak MINUTES] [--replica] [--camsim shared|per-client]`:
/// the recorder against what popular NVRs run, on the same simulated cameras (tools/camsim, 127.0.0.1 only).
/// Run A (peer): N bare `ffmpeg -rtsp_transport tcp -i URL -c copy -f segment -segment_time 60` writing
/// plaintext MP4 segments, stopped with `q`. Run B: `homevault serve` (Release build of src/HomeVault.Cli)
/// recording the same N cameras into a fresh data directory, every clip age-sealed as it is written.
/// CPU is the rusage of the whole process tree: each side runs under /usr/bin/time, whose wait4 rusage
/// includes every descendant the process reaped (ffmpeg children that exit are counted), cross-checked by
/// sampling /proc/PID/stat of the tree every 0.5 s. Peak RSS is VmHWM from /proc/PID/status.
/// `--pairs K` runs A then B K times, alternating, and compares the summed CPU (single runs on a shared 2-core
/// machine differ by several percent). `--together` starts A and B at the same moment instead, on the same cameras
/// (camsim gives each client its own playback), so both sides see the same host conditions; each side's CPU is
/// still its own process tree's. `--find-max` runs HomeVault alone at growing N until it stops keeping up; `--soak` samples the service
/// process's RSS every 10 s. `--replica` runs two `homevault serve` together on the same cameras, one replicating to a
/// RADOS Gateway and one not (RecordingBench.Replica.cs). `--camsim shared` serves every camera from one camsim playback
/// (`--shared-mount`: one pipeline, a session per client), the default for `--find-max`, which measures the recorder, not
/// the simulator; `per-client` (camsim's `--mount`, a pipeline per client) is every other mode's default.
/// A benchmark that prints: it asserts nothing about time.
/// </summary>
public static partial class RecordingBench
{
    private const int Fps = 15;
    private const int Gop = 30;
    private const int ClipSeconds = 60;

    private sealed record Settings(int Cameras, int Seconds, int Pairs, bool Together, string Size, string Bitrate, bool FindMax, double SoakMinutes, int MinCameras, int MaxCameras, string Cli, bool Replica, bool SharedCamsim);

    public static int Run(string[] args)
    {
        var findMax = args.Contains("--find-max");
        var soak = Option(args, "--soak", 0.0);
        var camsimMode = OptionText(args, "--camsim", findMax ? "shared" : "per-client");
        if (camsimMode is not ("shared" or "per-client"))
        {
            Console.Error.WriteLine($"recording: --camsim must be shared or per-client, not {camsimMode}");
            return 2;
        }
        var settings = new Settings(
            Cameras: (int)Option(args, "--cameras", soak > 0 ? 16 : 8),
            Seconds: (int)Option(args, "--seconds", findMax ? 60 : 120),
            Pairs: Math.Max(1, (int)Option(args, "--pairs", 1)),
            Together: args.Contains("--together"),
            Size: OptionText(args, "--size", "1920x1080"),
            Bitrate: OptionText(args, "--bitrate", "4M"),
            FindMax: findMax,
            SoakMinutes: soak,
            MinCameras: (int)Option(args, "--min-cameras", 4),
            MaxCameras: (int)Option(args, "--max-cameras", 160),
            Cli: OptionText(args, "--cli", ""),
            Replica: args.Contains("--replica"),
            SharedCamsim: camsimMode == "shared");
        var work = Path.Combine(Path.GetTempPath(), $"hv-recbench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        // Processes are killed and the work directory removed on every way out: return, exception, Ctrl-C, SIGTERM.
        void Cleanup()
        {
            BenchChildren.KillAll();
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
        var root = NativeCli.RepoRoot();
        // --cli: a native binary already published (scripts/publish.sh), else one is published here.
        var hv = s.Cli.Length > 0 ? Path.GetFullPath(s.Cli) : NativeCli.Publish(root, work);
        var cams = s.FindMax ? s.MaxCameras : s.Cameras;
        // Each client gets its own playback from the start (with --camsim shared the first client starts the one playback,
        // which the last to leave ends: one run either way), so a stream must outlast one run; the brief asks
        // for more than 2×S plus a margin. One length (at least 720 s) for every mode keeps one cached encode.
        // A soak is one run, so its streams need only outlast it (a 1020 s encode for an 8-minute soak cost 5 minutes).
        var streamSeconds = s.SoakMinutes > 0 ? Math.Max(720, (int)Math.Ceiling(s.SoakMinutes * 60) + 120) : Math.Max(720, 2 * s.Seconds + 60);
        Console.WriteLine($"recording bench: {Environment.ProcessorCount} cores, load average {LoadAverage()} at start, {DateTime.UtcNow:HH:mm:ss} UTC");
        Console.WriteLine($"cameras: camsim testsrc2+noise {s.Size} @ {Fps} fps, libx264 -g {Gop} -b:v {s.Bitrate}, {streamSeconds} s per playback, {cams} mounts on 127.0.0.1");
        Console.WriteLine($"camsim mode: {CamsimMode(s.SharedCamsim)}");
        var names = Enumerable.Range(0, cams).Select(CamName).ToList();
        Console.WriteLine("camsim: the first encode of a 1080p clip takes several minutes (x264 at a few times real time on 2 cores); it is cached in /tmp/camsim-cache after that.");
        var camsim = CamsimProcess.Start(Path.Combine(root, "tools", "camsim", "camsim.py"),
            new CamsimSettings { Size = s.Size, Fps = Fps, Seconds = streamSeconds, Bitrate = s.Bitrate, Gop = Gop, Mounts = s.SharedCamsim ? [] : names },
            s.SharedCamsim ? names.SelectMany(n => new[] { "--shared-mount", n }) : null,
            readyTimeout: TimeSpan.FromHours(1), onStderrLine: line => Console.WriteLine("  " + line));
        BenchChildren.Add(camsim);
        Console.WriteLine($"camsim ready on port {camsim.Port} after {camsim.ReadyAfter.TotalSeconds:F0} s");

        if (s.SoakMinutes > 0)
        {
            return Soak(work, hv, camsim, s.Cameras, s.SoakMinutes);
        }
        if (s.Replica)
        {
            return CompareReplica(work, hv, camsim, s.Cameras, s.Seconds);
        }
        if (s.FindMax)
        {
            return FindMax(work, hv, camsim, s.Seconds, s.MinCameras, s.MaxCameras, s.SharedCamsim);
        }
        return Compare(work, hv, camsim, s.Cameras, s.Seconds, s.Pairs, s.Together);
    }

    // ------------------------------------------------------------------ comparison

    private static int Compare(string work, string hv, CamsimProcess camsim, int n, int seconds, int pairs, bool together)
    {
        var urls = Urls(camsim, n);
        var runs = new List<(RunResult A, RunResult B)>();
        for (var i = 1; i <= pairs; i++)
        {
            var of = pairs > 1 ? $" (pair {i} of {pairs})" : "";
            var peerDir = Path.Combine(work, $"peer{i}");
            var hvDir = Path.Combine(work, $"hv{i}");
            Console.WriteLine();
            if (together)
            {
                Console.WriteLine($"runs A and B together{of}: {n} × bare ffmpeg -c copy -f segment (plaintext) and homevault serve, the same {n} cameras, {seconds} s, load {LoadAverage()}");
                Task<RunResult>? peer = null;
                var ours = RunHomeVault(hvDir, hv, urls, seconds, camsim, rssEvery: null, atStart: () => peer = Task.Run(() => RunPeer(peerDir, urls, seconds, camsim)));
                runs.Add((peer!.GetAwaiter().GetResult(), ours));
                continue;
            }
            Console.WriteLine($"run A{of}: {n} × bare ffmpeg -c copy -f segment (plaintext), {seconds} s, load {LoadAverage()}");
            var bare = RunPeer(peerDir, urls, seconds, camsim);
            Console.WriteLine($"run B{of}: homevault serve, {n} cameras, ClipSeconds {ClipSeconds}, {seconds} s, load {LoadAverage()}");
            runs.Add((bare, RunHomeVault(hvDir, hv, urls, seconds, camsim, rssEvery: null)));
        }
        Console.WriteLine($"load average after the runs: {LoadAverage()}");
        var (a, b) = runs[^1]; // the tables below show the last pair; the CPU ratio sums every pair
        if (pairs > 1)
        {
            Console.WriteLine();
            BenchStamp.Print(BenchStamp.Binary(hv));
            Console.WriteLine("| pair | A CPU s | B CPU s | B / A | B's service process s | B's ffmpeg children s |");
            Console.WriteLine("|-----:|--------:|--------:|------:|-------------------:|----------------------:|");
            for (var i = 0; i < runs.Count; i++)
            {
                var (pa, pb) = runs[i];
                Console.WriteLine($"| {i + 1,4} | {pa.CpuSeconds,7:F1} | {pb.CpuSeconds,7:F1} | {pb.CpuSeconds / pa.CpuSeconds,5:F2} | {pb.ServiceCpuSeconds,18:F1} | {pb.SampledCpuSeconds - pb.ServiceCpuSeconds,21:F1} |");
            }
            Console.WriteLine($"| all  | {runs.Sum(r => r.A.CpuSeconds),7:F1} | {runs.Sum(r => r.B.CpuSeconds),7:F1} | {runs.Sum(r => r.B.CpuSeconds) / runs.Sum(r => r.A.CpuSeconds),5:F2} | {runs.Sum(r => r.B.ServiceCpuSeconds),18:F1} | {runs.Sum(r => r.B.SampledCpuSeconds - r.B.ServiceCpuSeconds),21:F1} |");
        }

        Console.WriteLine();
        BenchStamp.Print(BenchStamp.Binary(hv));
        Console.WriteLine($"| side ({n} cameras, {seconds} s)        | CPU s | CPU % of 1 core | peak RSS                                   | bytes stored  | media s per camera (min / max / sum) |");
        Console.WriteLine("|-----------------------------------|------:|----------------:|--------------------------------------------|--------------:|--------------------------------------|");
        Console.WriteLine($"| A: bare ffmpeg ×{n,-2} (plaintext)     | {a.CpuSeconds,5:F1} | {a.CpuPercent,14:F0}% | ffmpeg max {Mb(a.FfmpegMaxHwmKb),6}, sum {Mb(a.FfmpegSumHwmKb),-18} | {a.Bytes,13:N0} | {a.MediaMin,7:F1} / {a.MediaMax,7:F1} / {a.MediaSum,8:F1}   |");
        Console.WriteLine($"| B: HomeVault (sealed, native+ffmpeg) | {b.CpuSeconds,5:F1} | {b.CpuPercent,14:F0}% | service {Mb(b.ServiceHwmKb),6}; ffmpeg max {Mb(b.FfmpegMaxHwmKb)}, sum {Mb(b.FfmpegSumHwmKb),-7} | {b.Bytes,13:N0} | {b.MediaMin,7:F1} / {b.MediaMax,7:F1} / {b.MediaSum,8:F1}   |");
        Console.WriteLine();
        var cpuRatio = runs.Sum(r => r.B.CpuSeconds) / runs.Sum(r => r.A.CpuSeconds);
        var byteRatio = (double)b.Bytes / a.Bytes;
        Console.WriteLine($"HomeVault/ffmpeg: CPU {cpuRatio:F2}×{(pairs > 1 ? $" (all {pairs} pairs)" : "")}, bytes {byteRatio:F3}× (age adds a header and 16 bytes per 64 KiB chunk; fMP4 and MP4 segments differ slightly too)");
        if (!double.IsNaN(a.SteadyCpuSeconds) && !double.IsNaN(b.SteadyCpuSeconds))
        {
            var sa = runs.Sum(r => r.A.SteadyCpuSeconds);
            var sb = runs.Sum(r => r.B.SteadyCpuSeconds);
            var sd = runs.Sum(r => r.B.SteadyServiceSeconds);
            var span = (b.SteadyTo - b.SteadyFrom) * runs.Count;
            Console.WriteLine($"steady state ({b.SteadyFrom:F0} s to {b.SteadyTo:F0} s of each run, start-up and shutdown excluded): A {100 * sa / span:F2} % of a core, B {100 * sb / span:F2} % (service process {100 * sd / span:F2} %, its ffmpeg children {100 * (sb - sd) / span:F2} %) → {sb / sa:F2}×");
        }
        Console.WriteLine($"CPU per recorded media second: A {1000 * a.CpuSeconds / a.MediaSum:F1} ms, B {1000 * b.CpuSeconds / b.MediaSum:F1} ms → {b.CpuSeconds / b.MediaSum / (a.CpuSeconds / a.MediaSum):F2}× (B also pays its start-up and shutdown inside its CPU s)");
        Console.WriteLine($"wall seconds: A {a.WallSeconds:F1} (mean per ffmpeg), B {b.WallSeconds:F1} (serve process, incl. start-up and shutdown)");
        Console.WriteLine($"CPU cross-check from /proc sampling (misses < 0.5 s per process that exits between samples): A {a.SampledCpuSeconds:F1} s, B {b.SampledCpuSeconds:F1} s");
        Console.WriteLine($"HomeVault CPU split (sampled): service process {b.ServiceCpuSeconds:F1} s, its ffmpeg children {b.SampledCpuSeconds - b.ServiceCpuSeconds:F1} s; camsim used {a.CamsimCpuSeconds:F1} s (A) and {b.CamsimCpuSeconds:F1} s (B) on the same cores");
        Console.WriteLine($"HomeVault: {b.Clips} clips ({b.Complete} complete, {b.Truncated} truncated, {b.OtherStates} other), largest gap between consecutive clips of a camera {b.MaxGap:F3} s, runs per camera max {b.MaxRuns}, first clip started {b.StartupSeconds:F1} s after serve started");
        Console.WriteLine($"HomeVault status/cameras.json near the end: {b.StatusSummary}");
        Console.WriteLine($"bare ffmpeg: {a.Clips} segments, all ffprobe-readable: {(a.Unreadable == 0 ? "yes" : $"NO ({a.Unreadable} unreadable)")}");
        PrintPerCamera(hv, a, b);

        var worstShortfall = urls.Select((_, i) => a.PerCamera[i] - b.PerCamera[i]).Max();
        var noDrop = b.Truncated == 0 && b.OtherStates == 0 && b.MaxGap < 0.05 && b.AllRecording && worstShortfall < 1.5;
        Console.WriteLine();
        BenchStamp.Print(BenchStamp.Binary(hv));
        Console.WriteLine("| target                                         | measured                    | met |");
        Console.WriteLine("|------------------------------------------------|-----------------------------|-----|");
        Console.WriteLine($"| HomeVault CPU <= 1.10 × bare ffmpeg             | {cpuRatio,6:F2}×                     | {YesNo(cpuRatio <= 1.10)} |");
        var memNote = n == 16 ? "" : $" (at {n} cams)";
        Console.WriteLine($"| HomeVault service memory < 150 MB at 16 cams   | {Mb(b.ServiceHwmKb) + memNote,-27} | {(n == 16 ? YesNo(b.ServiceHwmKb < 150 * 1024) : (b.ServiceHwmKb < 150 * 1024 ? "n/a" : "NO "))} |");
        Console.WriteLine($"| no fragment dropped                            | {(noDrop ? "none seen" : "see above"),-27} | {YesNo(noDrop)} |");
        Console.WriteLine("(no fragment dropped = every clip complete, consecutive clips contiguous, every camera recording in status, and each camera's HomeVault media within 1.5 s of bare ffmpeg's)");
        return 0;
    }

    private static void PrintPerCamera(string hv, RunResult a, RunResult b)
    {
        Console.WriteLine();
        BenchStamp.Print(BenchStamp.Binary(hv));
        Console.WriteLine("| camera | ffmpeg media s | ffmpeg segments | HomeVault media s | HomeVault clips | status   |");
        Console.WriteLine("|--------|---------------:|----------------:|------------------:|----------------:|----------|");
        for (var i = 0; i < a.PerCamera.Count; i++)
        {
            var name = CamName(i);
            Console.WriteLine($"| {name,-6} | {a.PerCamera[i],14:F2} | {a.PerCameraCount[i],15} | {b.PerCamera[i],17:F2} | {b.PerCameraCount[i],15} | {b.StatusByCamera.GetValueOrDefault(name, "?"),-8} |");
        }
    }

    // ------------------------------------------------------------------ find-max

    private static int FindMax(string work, string hv, CamsimProcess camsim, int seconds, int minCameras, int maxCameras, bool sharedCamsim)
    {
        // A camera that joins the shared playback after the first one waits up to a GOP for its first keyframe, where
        // a playback of its own would have started on one: that wait is the simulator's, so it is left out of the bar.
        var joinAllowance = sharedCamsim ? (double)Gop / Fps : 0;
        Console.WriteLine();
        Console.WriteLine($"find-max: HomeVault alone, {seconds} s per step; keeps up = every camera recording in status near the end, each camera's media >= 95% of (run seconds - start-up{(sharedCamsim ? $" - {joinAllowance:F0} s, one GOP a camera joining the shared playback may wait for its first keyframe" : "")}), CPU < 190% of one core");
        Console.WriteLine($"camsim mode: {CamsimMode(sharedCamsim)}");
        BenchStamp.Print(BenchStamp.Binary(hv));
        // camsim serves every camera on the same 2 cores: its CPU says whether it, not HomeVault, ran out first.
        Console.WriteLine("| cameras | CPU s | CPU % of 1 core | camsim CPU % | camsim % per camera | service peak RSS | min media/expected | all recording | load before | keeps up |");
        Console.WriteLine("|--------:|------:|----------------:|-------------:|--------------------:|--------------:|-------------------:|---------------|-------------|----------|");
        var best = 0;
        var steps = new[] { 4, 8, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 192, 224, 256, 320, 384, 448, 512 }.Where(k => k >= minCameras && k <= maxCameras).ToList();
        foreach (var n in steps)
        {
            var load = LoadAverage();
            var r = RunHomeVault(Path.Combine(work, $"max{n}"), hv, Urls(camsim, n), seconds, camsim, rssEvery: null);
            var expected = seconds - r.StartupSeconds - joinAllowance;
            var fraction = r.MediaMin / expected;
            var ok = r.AllRecording && fraction >= 0.95 && r.CpuPercent < 190;
            var camsimPercent = 100 * r.CamsimCpuSeconds / r.WallSeconds;
            Console.WriteLine($"| {n,7} | {r.CpuSeconds,5:F1} | {r.CpuPercent,14:F0}% | {camsimPercent,11:F0}% | {camsimPercent / n,18:F2}% | {Mb(r.ServiceHwmKb),13} | {fraction,18:P1} | {(r.AllRecording ? "yes" : "NO: " + r.StatusSummary),-13} | {load,-11} | {(ok ? "yes" : "NO"),-8} |");
            if (!ok)
            {
                break;
            }
            best = n;
        }
        Console.WriteLine();
        Console.WriteLine(best == 0 ? $"HomeVault did not keep up even at {(steps.Count > 0 ? steps[0] : minCameras)} cameras" : $"largest N at which HomeVault kept up: {best} cameras (with camsim serving them on the same cores, {(sharedCamsim ? "one shared playback" : "a playback per client")})");
        return 0;
    }

    // ------------------------------------------------------------------ soak

    private static int Soak(string work, string hv, CamsimProcess camsim, int n, double minutes)
    {
        var seconds = (int)Math.Round(minutes * 60);
        Console.WriteLine();
        Console.WriteLine($"soak: homevault serve, {n} cameras, {minutes:F1} min, service process RSS every 10 s, load {LoadAverage()}");
        var samples = new List<(double Minutes, long RssKb)>();
        var r = RunHomeVault(Path.Combine(work, "soak"), hv, Urls(camsim, n), seconds, camsim, rssEvery: samples);
        Console.WriteLine($"load average at the end: {LoadAverage()}");
        if (samples.Count < 2)
        {
            Console.Error.WriteLine("too few RSS samples");
            return 1;
        }
        // The last 20 minutes once the soak is long enough (past start-up and the first clips), else the second half.
        var tailFrom = minutes >= 25 ? samples[^1].Minutes - 20 : samples[^1].Minutes / 2;
        var half = samples.Where(x => x.Minutes >= tailFrom).ToList();
        var slope = Slope(half);
        Console.WriteLine();
        BenchStamp.Print(BenchStamp.Binary(hv));
        Console.WriteLine("| minute | service RSS |");
        Console.WriteLine("|-------:|---------:|");
        foreach (var x in samples.Where((_, i) => i % 6 == 0 || i == samples.Count - 1))
        {
            Console.WriteLine($"| {x.Minutes,6:F1} | {Mb(x.RssKb),8} |");
        }
        Console.WriteLine();
        Console.WriteLine($"RSS first {Mb(samples[0].RssKb)}, max {Mb(samples.Max(x => x.RssKb))}, last {Mb(samples[^1].RssKb)}; slope from minute {tailFrom:F1} on ({half.Count} samples): {slope / 1024:+0.00;-0.00} MB/min; VmHWM {Mb(r.ServiceHwmKb)}");
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

    // ------------------------------------------------------------------ helpers

    private static string CamName(int i) => $"cam{i + 1:D2}";

    private static string CamsimMode(bool shared) => shared
        ? "shared (--shared-mount: every camera's client joins one playback, one GStreamer pipeline; a session and an RTP stream per client)"
        : "per client (--mount: each client its own playback from the start, a GStreamer pipeline per client)";

    private static List<string> Urls(CamsimProcess camsim, int n) => [.. Enumerable.Range(0, n).Select(i => camsim.Urls[CamName(i)])];

    private static string Mb(long kb) => $"{kb / 1024.0:F0} MB";

    private static string YesNo(bool ok) => ok ? "yes" : "NO ";

    private static string LoadAverage() => BenchStamp.LoadAverage();

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
        try
        {
            var output = Tool.Run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file);
            return double.TryParse(output.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
        }
        catch (InvalidOperationException)
        {
            return null; // ffprobe exited non-zero: the segment is unreadable
        }
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
}
