using System.Text.Json;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

/// <summary>`cameras test` against a camera that does not answer: real ffprobe, a loopback port nobody listens on.</summary>
public sealed class CamerasCommandTests
{
    /// <summary>A configuration file in a new directory with one camera, <paramref name="camera"/>.</summary>
    private static string ConfigWith(object camera)
    {
        var dir = TestEnv.NewTempDir("hvcamtest");
        var config = Path.Combine(dir, "homevault.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            HomeVault = new { DataDirectory = Path.Combine(dir, "data"), Cameras = new[] { camera } },
        }));
        return config;
    }

    [Fact]
    public void A_camera_that_cannot_be_probed_is_named_once_in_one_line()
    {
        var config = ConfigWith(new { Name = "front", Url = $"rtsp://127.0.0.1:{LoopbackPort.Closed()}/front" });
        var r = Homevault.Run("cameras", "test", "front", "--config", config);
        Assert.Equal(1, r.Exit);
        Assert.StartsWith("homevault: camera front: ", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("camera front: camera front", r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void A_transport_that_does_not_exist_is_named_in_one_line()
    {
        var config = ConfigWith(new { Name = "front", Url = "rtsp://127.0.0.1/front", Transport = "quic" });
        var r = Homevault.Run("cameras", "test", "front", "--config", config);
        Assert.Equal(1, r.Exit);
        Assert.StartsWith($"homevault: configuration file {config}: ", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("Transport", r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.TrimEnd('\n').Split('\n'));
    }
}
