using HomeVault.Recording.Configuration;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Support;

/// <summary>Cameras recorded side by side through the sealed sink, and the frames each one's first clip decodes to.</summary>
internal static class FirstClipFrames
{
    /// <summary>Records for <paramref name="duration"/>, then decrypts each camera's first clip and returns its video frames' MD5s (<c>ffmpeg -f framemd5</c>) by camera.</summary>
    public static async Task<Dictionary<string, List<string>>> RecordAsync(TimeSpan duration, params CameraOptions[] cameras)
    {
        using var footage = new SealedFootage();
        await Harness.RecordSealedAsync(footage, duration, cameras);
        var dir = TestEnv.NewTempDir("hv-frames");
        try
        {
            return cameras.ToDictionary(c => c.Name, c => Media.FrameMd5s(footage.FirstClipFile(c.Name, dir)));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
