using HomeVault.Recording.Simulation;
using HomeVault.Tests;

[assembly: AssemblyFixture(typeof(HomeVault.Recording.Tests.Support.CamsimFixture))]

namespace HomeVault.Recording.Tests.Support;

/// <summary>One camsim for the whole test assembly: small 640x360 clips, every kind of mount.</summary>
public sealed class CamsimFixture : IAsyncLifetime
{
    public const string User = "viewer";
    // ':' '@' '/' '%' exercise the percent-encoding path to ffmpeg and the scrubber.
    public const string Password = "s3cr3t-P@ss:w/rd%42";

    private CamsimProcess? _process;

    public IReadOnlyDictionary<string, string> Urls => _process?.Urls ?? new Dictionary<string, string>();

    public int Port => _process?.Port ?? 0;

    public int Pid => _process?.Pid ?? 0;

    /// <summary>The tests' encode: 640x360, 15 fps, 60 s from each playback's start, a keyframe every 2 s (cached); no mounts.</summary>
    public static CamsimSettings SmallClips => new()
    {
        Size = "640x360", Fps = 15, Seconds = 60, Bitrate = "600k", Gop = 30,
        CacheDirectory = Path.Combine(Path.GetTempPath(), "homevault-camsim-cache"),
    };

    public ValueTask InitializeAsync()
    {
        _process = CamsimProcess.Start(
            Path.Combine(TestEnv.RepoRoot, "tools", "camsim", "camsim.py"),
            SmallClips with { Mounts = ["cam1", "cam2"] },
            ["--auth-mount", "secure",
             "--flap-mount", "flappy", "--flap-up", "6", "--flap-down", "3",
             "--stall-mount", "stally", "--stall-after", "5",
             "--h265-mount", "hevc", "--g711-mount", "audio", "--aac-mount", "aac", "--bframes-mount", "bframes"],
            readyTimeout: TimeSpan.FromSeconds(180),
            environment: new Dictionary<string, string> { ["CAMSIM_AUTH"] = $"{User}:{Password}" });
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
