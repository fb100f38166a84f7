using System.Collections.Concurrent;
using HomeVault.Core.Recorder;
using HomeVault.Recording.Cameras;
using HomeVault.Recording.Ffmpeg;

namespace HomeVault.Recording.Live;

/// <summary>
/// A still of a camera, asked for by an unlocked console: the next keyframe fragment the recorder passes (a brief live
/// subscription, so the recorder keeps nothing while nobody looks) with its init segment is piped into ffmpeg, which
/// answers one JPEG on its stdout. Kept in memory for <see cref="KeepFor"/>, then forgotten; nothing touches a file.
/// </summary>
public sealed class CameraStills(LiveFeed feed, SupervisorSettings settings, TimeProvider time) : ICameraStills
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromSeconds(10);

    /// <summary>Longer than a GOP of any sane camera: a camera that sends no fragment in this time has no still.</summary>
    public static readonly TimeSpan WaitForFragment = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, byte[] Jpeg)> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _decoding = new(StringComparer.Ordinal);

    public async Task<byte[]?> StillAsync(string camera, CancellationToken ct)
    {
        if (!feed.Has(camera))
        {
            return null;
        }
        if (Cached(camera) is { } jpeg)
        {
            return jpeg;
        }
        // One decode per camera at a time: a dashboard full of viewers costs one ffmpeg run per camera per KeepFor.
        var gate = _decoding.GetOrAdd(camera, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return Cached(camera) ?? await DecodeNextAsync(camera, ct).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private byte[]? Cached(string camera) =>
        _cache.TryGetValue(camera, out var c) && time.GetUtcNow() - c.At < KeepFor ? c.Jpeg : null;

    private async Task<byte[]?> DecodeNextAsync(string camera, CancellationToken ct)
    {
        ReadOnlyMemory<byte> init, fragment;
        using (var subscription = feed.Subscribe(camera))
        {
            if (subscription is null)
            {
                return null;
            }
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(WaitForFragment);
            init = subscription.Init;
            try
            {
                fragment = await subscription.Fragments.ReadAsync(wait.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.Threading.Channels.ChannelClosedException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                return null; // the run ended, or the camera sent nothing in time
            }
        }
        var jpeg = await Task.Run(() => Decode(camera, init, fragment, ct), ct).ConfigureAwait(false);
        var entry = (time.GetUtcNow(), jpeg);
        _cache[camera] = entry;
        _ = Task.Delay(KeepFor, time, CancellationToken.None).ContinueWith(_ => _cache.TryRemove(KeyValuePair.Create(camera, entry)), TaskScheduler.Default);
        return jpeg;
    }

    private byte[] Decode(string camera, ReadOnlyMemory<byte> init, ReadOnlyMemory<byte> fragment, CancellationToken ct)
    {
        string[] args =
        [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "mp4", "-i", "pipe:0", "-map", "0:v:0", "-frames:v", "1",
            "-vf", "scale='min(640,iw)':-2", "-c:v", "mjpeg", "-q:v", "5", "-f", "image2", "pipe:1",
        ];
        using var jpeg = new MemoryStream();
        var exit = FfmpegPipe.Run(settings.FfmpegPath, args, stdin =>
        {
            stdin.Write(init.Span);
            stdin.Write(fragment.Span);
        }, jpeg, ct);
        if (!exit.Success || jpeg.Length == 0)
        {
            throw new InvalidDataException($"ffmpeg could not decode a still of {camera}: {exit.Describe()}");
        }
        return jpeg.ToArray();
    }
}
