using HomeVault.Core.Recorder;
using HomeVault.Recording.Cameras;
using HomeVault.Recording.Configuration;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Support;

/// <summary>Runs real supervisors against camsim into a directory sink for a while.</summary>
internal sealed class Harness : IDisposable
{
    private readonly SupervisorSettings _settings;

    /// <param name="settings">The supervisors' settings; the fast test settings by default.</param>
    public Harness(SupervisorSettings? settings = null)
    {
        _settings = settings ?? FastSettings();
        Directory = TestEnv.NewTempDir("hv-rec");
        Sink = new DirectorySink(Directory);
    }

    public string Directory { get; }

    public DirectorySink Sink { get; }

    public MemoryJournal Journal { get; } = new();

    public CapturingLogger<CameraSupervisor> Logger { get; } = new();

    public static SupervisorSettings FastSettings() => new()
    {
        FfmpegPath = TestEnv.Tool("ffmpeg"),
        InitialBackoff = TimeSpan.FromMilliseconds(500),
        MaxBackoff = TimeSpan.FromSeconds(2),
        FastRetryFor = TimeSpan.FromSeconds(3),
        StopGrace = TimeSpan.FromSeconds(3),
    };

    public static CameraOptions Camera(string name, string url, int clipSeconds = 4, int stallSeconds = 8,
        AudioMode audio = AudioMode.Copy, string? credentialsFile = null, IngestMode ingest = IngestMode.Auto, TransportMode transport = TransportMode.Tcp) =>
        new() { Name = name, Url = url, ClipSeconds = clipSeconds, StallSeconds = stallSeconds, Audio = audio, CredentialsFile = credentialsFile, Ingest = ingest, Transport = transport };

    public List<CameraSupervisor> Supervisors { get; } = [];

    /// <summary>Records all cameras concurrently for <paramref name="duration"/>, then stops them (q, seal).</summary>
    public Task RecordAsync(TimeSpan duration, params CameraOptions[] cameras) => RecordUntilAsync(null, duration, cameras);

    /// <summary>
    /// Records all cameras concurrently until <paramref name="done"/> holds (looked at every 100 ms) or at most for
    /// <paramref name="limit"/>, then stops them (q, seal).
    /// </summary>
    public async Task RecordUntilAsync(Func<bool>? done, TimeSpan limit, params CameraOptions[] cameras)
    {
        StartedAt = DateTimeOffset.UtcNow;
        using var cts = new CancellationTokenSource();
        var stopping = 0;
        // The stop's moment is taken before the cancellation, not in a callback of it: callbacks run newest first, so a
        // supervisor's own could close its books (its last gap at "now") before ours noted the moment.
        void Stop()
        {
            if (Interlocked.Exchange(ref stopping, 1) == 0)
            {
                StopRequestedAt = DateTimeOffset.UtcNow;
                cts.Cancel();
            }
        }
        using var timer = new Timer(_ => Stop(), null, limit, Timeout.InfiniteTimeSpan);
        var all = Task.WhenAll(cameras.Select(c => Start(c, cts.Token, StartedAt)).ToArray());
        while (done is not null && !all.IsCompleted)
        {
            if (done())
            {
                Stop();
                break;
            }
            await Task.WhenAny(all, Task.Delay(100, TestContext.Current.CancellationToken));
        }
        // The supervisors end by themselves on cancellation; the extra margin only guards a hang.
        await all.WaitAsync(limit + TimeSpan.FromSeconds(30));
    }

    /// <summary>Starts one camera's supervisor, which records until <paramref name="ct"/> is cancelled; the task is its run.</summary>
    public Task Start(CameraOptions camera, CancellationToken ct, DateTimeOffset? startedAt = null)
    {
        var supervisor = new CameraSupervisor(camera, Sink, Journal, Logger, TimeProvider.System, _settings);
        Supervisors.Add(supervisor);
        return Task.Run(() => supervisor.RunAsync(ct, startedAt), CancellationToken.None);
    }

    /// <summary>
    /// Records <paramref name="cameras"/> into <paramref name="footage"/>'s real sealed clips for <paramref name="duration"/>
    /// (clips to decrypt and compare, or to release).
    /// </summary>
    public static async Task RecordSealedAsync(SealedFootage footage, TimeSpan duration, params CameraOptions[] cameras)
    {
        var logger = new CapturingLogger<CameraSupervisor>();
        var supervisors = cameras.Select(c => new CameraSupervisor(c, footage.Sink, footage.Sink, logger, TimeProvider.System, FastSettings())).ToList();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(duration);
        await Task.WhenAll(supervisors.Select(s => Task.Run(() => s.RunAsync(cts.Token), TestContext.Current.CancellationToken)))
            .WaitAsync(duration + TimeSpan.FromSeconds(50), TestContext.Current.CancellationToken);
    }

    /// <summary>When the supervisors were started (their first gap begins here).</summary>
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>When they were told to stop.</summary>
    public DateTimeOffset StopRequestedAt { get; private set; }

    /// <summary>A camera's footage and gaps, as intervals.</summary>
    public IReadOnlyList<(DateTimeOffset From, DateTimeOffset Until)> Accounted(string camera) =>
        Sink.For(camera).Select(c => (c.Start, c.End ?? c.Start + c.MediaDuration))
            .Concat(Journal.Gaps.Where(g => g.Camera == camera).Select(g => (g.From, g.Until)))
            .ToList();

    /// <summary>
    /// Every second of the camera from the supervisor's start to its stop is footage or a recorded gap: nothing
    /// uncovered, and the books reach the stop.
    /// </summary>
    public void AssertEverySecondAccounted(string camera)
    {
        var intervals = Accounted(camera);
        Assert.NotEmpty(intervals);
        var end = intervals.Max(i => i.Until);
        Assert.True(end >= StopRequestedAt, $"{camera}: accounted only until {end:HH:mm:ss.fff}, stop was asked at {StopRequestedAt:HH:mm:ss.fff}");
        var missing = Coverage.Uncovered(intervals, StartedAt, end);
        Assert.True(missing == TimeSpan.Zero, $"{camera}: {missing.TotalSeconds:0.000} s neither footage nor gap: {Coverage.Holes(intervals, StartedAt, end)}");
        Assert.DoesNotContain(Journal.OpenGaps.Values, g => g.Camera == camera);
    }

    public CameraHealth Health(string name) => Supervisors.Single(s => s.Name == name).Health;

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("HV_KEEP_CLIPS") == "1")
        {
            return;
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
