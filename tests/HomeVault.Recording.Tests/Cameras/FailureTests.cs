using HomeVault.Recording.Cameras;
using HomeVault.Recording.Configuration;
using HomeVault.Recording.Ffmpeg;
using HomeVault.Recording.Tests.Support;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Cameras;

public sealed class FailureTests(CamsimFixture camsim)
{
    private static string CredentialsFile(string dir, string content)
    {
        var path = Path.Combine(dir, "cam.credentials");
        File.WriteAllText(path, content + "\n");
        return path;
    }

    private static void AssertNoSecret(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            Assert.DoesNotContain(CamsimFixture.Password, line, StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(CamsimFixture.Password), line, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cr3t", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Authenticated_camera_records_and_its_password_is_in_no_log_line_and_not_in_argv()
    {
        using var h = new Harness();
        var creds = CredentialsFile(h.Directory, $"{CamsimFixture.User}:{CamsimFixture.Password}");
        // ffmpeg's argv and memory file: the native ingest has neither (NativeIngestTests covers its authentication).
        var cam = Harness.Camera("secure", camsim.Urls["secure"], credentialsFile: creds, ingest: IngestMode.Ffmpeg);
        var recording = h.RecordAsync(TimeSpan.FromSeconds(10), cam);

        // While it runs, ffmpeg's command line must not carry the password: its input is this process's memory file.
        string? cmdline = null;
        string? memfd = null;
        for (var i = 0; i < 50 && cmdline is null; i++)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
            var pidLine = h.Logger.Lines.FirstOrDefault(l => l.StartsWith("  Pid=", StringComparison.Ordinal));
            if (pidLine is not null && File.Exists($"/proc/{pidLine[6..]}/cmdline"))
            {
                cmdline = File.ReadAllText($"/proc/{pidLine[6..]}/cmdline").Replace('\0', ' ');
                var input = cmdline.Split(' ').SkipWhile(a => a != "-i").ElementAtOrDefault(1);
                memfd = input is null ? null : OpenFiles.Target(input);
            }
        }
        await recording;

        Assert.NotNull(cmdline);
        Assert.Contains("-f concat", cmdline, StringComparison.Ordinal);
        Assert.Matches($" -i /proc/{Environment.ProcessId}/fd/[0-9]+ ", cmdline);
        Assert.StartsWith("/memfd:" + IngestInput.MemoryFileName + "-", memfd, StringComparison.Ordinal);
        AssertNoSecret([cmdline]);
        var clips = h.Sink.For("secure");
        Assert.True(clips.Count >= 2, $"{clips.Count} clips");
        Assert.Equal("", Media.DecodeErrors(clips[1].Path));
        Assert.Contains(h.Logger.Lines, l => l.Contains("ffmpeg:", StringComparison.Ordinal)); // stderr lines were logged...
        AssertNoSecret(h.Logger.Lines);                                                      // ...scrubbed
        AssertNoSecret(h.Journal.Runs.Values.Select(r => r.Reason ?? ""));
        AssertNoSecret([h.Health("secure").LastError ?? ""]);
        // The memory file holding the credentials is closed once the run is over.
        Assert.DoesNotContain(memfd, OpenFiles.Targets());
    }

    [Fact]
    public async Task Wrong_credentials_are_one_gap_counting_the_401_attempts_without_runs_and_without_leaking_them()
    {
        using var h = new Harness();
        var creds = CredentialsFile(h.Directory, $"{CamsimFixture.User}:s3cr3t-wrong");
        await h.RecordAsync(TimeSpan.FromSeconds(6), Harness.Camera("secure", camsim.Urls["secure"], credentialsFile: creds));

        // Attempts that deliver nothing are no runs (no catalog row, no audit leaf each): one gap holds them.
        Assert.Empty(h.Journal.RunsOf("secure"));
        Assert.Empty(h.Sink.Clips);
        var gap = Assert.Single(h.Journal.Gaps, g => g.Camera == "secure");
        Assert.Equal(h.StartedAt, gap.From);
        Assert.StartsWith("recorder starting; then ", gap.Cause, StringComparison.Ordinal);
        Assert.Contains("401", gap.Cause, StringComparison.Ordinal);
        var attempts = int.Parse(System.Text.RegularExpressions.Regex.Match(gap.Cause, @"then (\d+) failed attempt").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(attempts, 2, 12); // retried, but paced (0.5 s apart early on, then doubling)
        Assert.Contains("401", h.Health("secure").LastError, StringComparison.Ordinal);
        h.AssertEverySecondAccounted("secure");
        foreach (var line in h.Logger.Lines.Append(gap.Cause))
        {
            Assert.DoesNotContain("s3cr3t", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Missing_credentials_file_fails_the_camera_with_a_clear_error()
    {
        using var h = new Harness();
        await h.RecordAsync(TimeSpan.FromSeconds(2), Harness.Camera("secure", camsim.Urls["secure"], credentialsFile: "/nonexistent/cam.credentials"));
        Assert.Empty(h.Journal.Runs);
        Assert.Contains("credentials file", h.Health("secure").LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flapping_camera_gives_several_runs_with_recorded_gaps_and_recovers()
    {
        using var h = new Harness();
        await h.RecordAsync(TimeSpan.FromSeconds(24), Harness.Camera("flappy", camsim.Urls["flappy"], clipSeconds: 2));

        var recordedRuns = h.Sink.For("flappy").Select(c => c.RunId).Distinct().ToList();
        Assert.True(recordedRuns.Count >= 2, $"footage from {recordedRuns.Count} runs");
        var gaps = h.Journal.Gaps.Where(g => g.Camera == "flappy").ToList();
        Assert.True(gaps.Count >= 2, "no gap recorded between runs");
        Assert.All(gaps, g => Assert.True(g.Until > g.From));
        Assert.All(gaps, g => Assert.False(string.IsNullOrWhiteSpace(g.Cause)));
        // Gaps sit between the runs' footage: each gap but the one the stop closes ends where a run's first clip starts.
        var firstClipStarts = h.Sink.For("flappy").GroupBy(c => c.RunId).Select(g => g.Min(c => c.Start)).ToHashSet();
        Assert.All(gaps.Where(g => g.Until < h.StopRequestedAt), g => Assert.Contains(g.Until, firstClipStarts));
        h.AssertEverySecondAccounted("flappy");
        Assert.All(h.Sink.For("flappy").Where(c => c.Completed), c => Assert.Equal("", Media.DecodeErrors(c.Path)));
    }

    [Fact]
    public async Task Stalled_stream_is_detected_and_ffmpeg_killed()
    {
        using var h = new Harness();
        await h.RecordAsync(TimeSpan.FromSeconds(14), Harness.Camera("stally", camsim.Urls["stally"], clipSeconds: 2, stallSeconds: 2));

        var runs = h.Journal.RunsOf("stally");
        var stalls = runs.Where(r => r.Reason?.StartsWith("stall", StringComparison.Ordinal) == true).ToList();
        Assert.NotEmpty(stalls);
        Assert.NotEmpty(h.Sink.For("stally")); // footage before the stall was kept
        // Each stalled run had delivered footage, so each reconnected at once: no backoff at all.
        Assert.True(runs.Count >= 2, $"{runs.Count} runs");
        var waits = h.Logger.Lines.Where(l => l.Contains("next attempt in", StringComparison.Ordinal)).ToList();
        Assert.True(waits.Count == 0, $"backed off: {string.Join(" | ", waits)}; runs: {string.Join(" | ", runs.Select(r => r.Reason))}; gaps: {string.Join(" | ", h.Journal.Gaps.Select(g => g.Cause))}");
        h.AssertEverySecondAccounted("stally");
        // Every ffmpeg this test started is gone.
        foreach (var pid in h.Logger.Lines.Where(l => l.StartsWith("  Pid=", StringComparison.Ordinal)).Select(l => l[6..]))
        {
            var stat = $"/proc/{pid}/stat";
            Assert.True(!File.Exists(stat) || !File.ReadAllText(stat).Contains("ffmpeg", StringComparison.Ordinal), $"ffmpeg {pid} still running");
        }
    }

    [Fact]
    public async Task G711_camera_with_audio_copy_is_recorded_with_aac_audio()
    {
        using var h = new Harness();
        await h.RecordAsync(TimeSpan.FromSeconds(12), Harness.Camera("audio", camsim.Urls["audio"], audio: AudioMode.Copy));

        var clips = h.Sink.For("audio");
        Assert.True(clips.Count >= 1, "no clips");
        var streams = Media.Streams(clips[^1].Path);
        Assert.Contains(streams, s => s is { Type: "video", Codec: "h264" });
        Assert.Contains(streams, s => s is { Type: "audio", Codec: "aac" });
        Assert.Equal("", Media.DecodeErrors(clips[^1].Path));
    }

    [Fact]
    public async Task H265_camera_is_recorded_as_hvc1()
    {
        using var h = new Harness();
        await h.RecordAsync(TimeSpan.FromSeconds(12), Harness.Camera("hevc", camsim.Urls["hevc"]));

        var clips = h.Sink.For("hevc").Where(c => c.Completed && c.Fragments >= 2).ToList();
        Assert.NotEmpty(clips);
        var streams = Media.Streams(clips[^1].Path);
        Assert.Contains(streams, s => s is { Type: "video", Codec: "hevc", Tag: "hvc1" });
        Assert.Equal("", Media.DecodeErrors(clips[^1].Path));
    }
}
