using HomeVault.Recording.Cameras;
using HomeVault.Recording.Configuration;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Support;

/// <summary>Runs real supervisors against camsim into a directory sink for a while.</summary>
internal sealed class Harness : IDisposable
{
    public Harness()
    {
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
        HealthyRun = TimeSpan.FromSeconds(3),
        StopGrace = TimeSpan.FromSeconds(3),
    };

    public static CameraOptions Camera(string name, string url, int clipSeconds = 4, int stallSeconds = 8,
        AudioMode audio = AudioMode.Copy, string? credentialsFile = null) =>
        new() { Name = name, Url = url, ClipSeconds = clipSeconds, StallSeconds = stallSeconds, Audio = audio, CredentialsFile = credentialsFile };

    public List<CameraSupervisor> Supervisors { get; } = [];

    /// <summary>Records all cameras concurrently for <paramref name="duration"/>, then stops them (q, seal).</summary>
    public async Task RecordAsync(TimeSpan duration, params CameraOptions[] cameras)
    {
        foreach (var c in cameras)
        {
            Supervisors.Add(new CameraSupervisor(c, Sink, Journal, Logger, TimeProvider.System, FastSettings()));
        }
        using var cts = new CancellationTokenSource(duration);
        var tasks = Supervisors.Select(s => Task.Run(() => s.RunAsync(cts.Token))).ToArray();
        var all = Task.WhenAll(tasks);
        // The supervisors end by themselves on cancellation; the extra margin only guards a hang.
        await all.WaitAsync(duration + TimeSpan.FromSeconds(30));
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
