using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HomeVault.Recording.Simulation;

namespace HomeVault.Bench;

/// <summary>The two sides of a recording run: N bare ffmpeg peers, and `homevault serve`.</summary>
public static partial class RecordingBench
{
    // ------------------------------------------------------------------ run A: bare ffmpeg


    private static RunResult RunPeer(string dir, List<string> urls, int seconds, CamsimProcess camsim)
    {
        Directory.CreateDirectory(dir);
        var procs = new List<BenchChild>();
        var camsimBefore = ProcStat.CpuTicks(camsim.Pid);
        var sampler = new TreeSampler();
        for (var i = 0; i < urls.Count; i++)
        {
            var camDir = Path.Combine(dir, CamName(i));
            Directory.CreateDirectory(camDir);
            procs.Add(BenchChild.Start("/usr/bin/time",
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
        var clock = Stopwatch.StartNew();
        (double Tree, double Service)? steadyStart = null, steadyEnd = null;
        if (TreeSampler.SteadyWindow(seconds) is { } window)
        {
            SleepUntil(clock, window.From);
            steadyStart = sampler.Snapshot();
            SleepUntil(clock, window.To);
            steadyEnd = sampler.Snapshot();
        }
        SleepUntil(clock, seconds);
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

        var r = new RunResult { CamsimCpuSeconds = (camsimAfter - camsimBefore) / ProcStat.Hz };
        SetSteady(r, seconds, steadyStart, steadyEnd);
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


    /// <summary>`homevault serve` for <paramref name="seconds"/>; with <paramref name="replica"/>, that configuration's `Replica` section.</summary>
    private static RunResult RunHomeVault(string dir, string hv, List<string> urls, int seconds, CamsimProcess camsim, List<(double, long)>? rssEvery, Action? atStart = null,
        Dictionary<string, object>? replica = null)
    {
        Directory.CreateDirectory(dir);
        var data = Path.Combine(dir, "data");
        var passFile = Path.Combine(dir, "passphrase");
        File.WriteAllText(passFile, "recording bench passphrase, not a secret\n");
        Tool.Run(hv, "init", "--data", data, "--owner", "bench", "--passphrase-file", passFile);
        var config = Path.Combine(dir, "homevault.json");
        var cameras = urls.Select((u, i) => new Dictionary<string, object> { ["Name"] = CamName(i), ["Url"] = u, ["ClipSeconds"] = ClipSeconds }).ToList();
        var section = new Dictionary<string, object>
        {
            ["DataDirectory"] = data,
            ["Retention"] = new Dictionary<string, object> { ["Days"] = 30, ["MaxBytes"] = 0, ["MinFreeBytes"] = 1_000_000 },
            ["Cameras"] = cameras,
        };
        if (replica is not null)
        {
            section["Replica"] = replica;
        }
        File.WriteAllText(config, JsonSerializer.Serialize(new Dictionary<string, object> { ["HomeVault"] = section }));

        atStart?.Invoke();
        var camsimBefore = ProcStat.CpuTicks(camsim.Pid);
        var timeFile = Path.Combine(dir, "serve.time");
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var serve = BenchChild.Start("/usr/bin/time", ["-f", "%e %U %S %M", "-o", timeFile, hv, "serve", "--config", config, "--duration", seconds.ToString(CultureInfo.InvariantCulture)], stdin: false);
        var sampler = new TreeSampler();
        sampler.AddRoot(serve.Pid);
        sampler.Start();
        var statusPath = Path.Combine(data, "status", "cameras.json");
        JsonDocument? lastStatus = null;
        var nextRss = 0.0;
        var steadyWindow = TreeSampler.SteadyWindow(seconds);
        (double Tree, double Service)? steadyStart = null, steadyEnd = null;
        while (!serve.HasExited)
        {
            Thread.Sleep(250);
            var t = clock.Elapsed.TotalSeconds;
            if (steadyWindow is { } w)
            {
                if (steadyStart is null && t >= w.From)
                {
                    steadyStart = sampler.Snapshot();
                }
                if (steadyEnd is null && t >= w.To)
                {
                    steadyEnd = sampler.Snapshot();
                }
            }
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
            if (rssEvery is not null && t >= nextRss && sampler.ServicePid is { } dp && ProcStat.StatusKb(dp, "VmRSS:") is { } rss)
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
        var r = new RunResult { CamsimCpuSeconds = (camsimAfter - camsimBefore) / ProcStat.Hz };
        SetSteady(r, seconds, steadyStart, steadyEnd);
        var tf = TimeFile(timeFile);
        r.CpuSeconds = tf.User + tf.Sys;
        r.WallSeconds = tf.Elapsed;
        r.CpuPercent = 100 * r.CpuSeconds / r.WallSeconds;
        r.SampledCpuSeconds = sampler.TotalCpuSeconds();
        r.ServiceCpuSeconds = sampler.CpuSecondsOf(NativeCli.Comm);
        r.ServiceHwmKb = sampler.MaxHwmOf(NativeCli.Comm);
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
        var replicaStatus = Path.Combine(data, "status", "replica.json");
        r.ReplicaStatus = File.Exists(replicaStatus) ? File.ReadAllText(replicaStatus).Trim() : "";
        var json = Tool.Run(hv, "clips", "list", "--data", data, "--json");
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


    private static void SleepUntil(Stopwatch clock, double seconds)
    {
        var left = TimeSpan.FromSeconds(seconds) - clock.Elapsed;
        if (left > TimeSpan.Zero)
        {
            Thread.Sleep(left);
        }
    }

    private static void SetSteady(RunResult r, int seconds, (double Tree, double Service)? start, (double Tree, double Service)? end)
    {
        if (TreeSampler.SteadyWindow(seconds) is { } w && start is { } a && end is { } b)
        {
            (r.SteadyFrom, r.SteadyTo) = w;
            r.SteadyCpuSeconds = b.Tree - a.Tree;
            r.SteadyServiceSeconds = b.Service - a.Service;
        }
    }
}
