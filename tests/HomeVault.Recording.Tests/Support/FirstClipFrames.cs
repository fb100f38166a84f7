using HomeVault.Core.Catalog;
using HomeVault.Recording.Cameras;
using HomeVault.Recording.Configuration;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Support;

/// <summary>Cameras recorded side by side through the sealed sink, and the frames each one's first clip decodes to.</summary>
internal static class FirstClipFrames
{
    /// <summary>Records for <paramref name="duration"/>, then decrypts each camera's first clip and returns its frames' MD5s (<c>ffmpeg -f framemd5</c>) by camera.</summary>
    public static async Task<Dictionary<string, List<string>>> RecordAsync(TimeSpan duration, params CameraOptions[] cameras)
    {
        using var footage = new SealedFootage();
        var logger = new CapturingLogger<CameraSupervisor>();
        var supervisors = cameras
            .Select(c => new CameraSupervisor(c, footage.Sink, footage.Sink, logger, TimeProvider.System, Harness.FastSettings()))
            .ToList();
        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken))
        {
            cts.CancelAfter(duration);
            await Task.WhenAll(supervisors.Select(s => Task.Run(() => s.RunAsync(cts.Token), TestContext.Current.CancellationToken)))
                .WaitAsync(duration + TimeSpan.FromSeconds(50), TestContext.Current.CancellationToken);
        }

        var dir = TestEnv.NewTempDir("hv-frames");
        try
        {
            var frames = new Dictionary<string, List<string>>();
            foreach (var camera in cameras)
            {
                var clips = new ClipRepository(footage.Db).Query(camera.Name).OrderBy(c => c.Start).ToList();
                Assert.True(clips.Count > 0, $"{camera.Name}: no clip; {string.Join(" | ", logger.Lines.TakeLast(5))}");
                var path = Path.Combine(dir, camera.Name + ".mp4");
                File.WriteAllBytes(path, footage.Decrypt(clips[0]));
                frames[camera.Name] = Media.FrameMd5s(path);
            }
            return frames;
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
