using HomeVault.Core;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;
using HomeVault.Core.Vault;
using HomeVault.Recording.Fmp4;
using HomeVault.Recording.Storage;
using HomeVault.Tests;
using Microsoft.Data.Sqlite;

namespace HomeVault.Recording.Tests.Support;

/// <summary>
/// A real data directory (catalog file, audit key, one owner "alice") whose clips go through the production
/// <see cref="SealedClipSink"/>, fed with real fragmented MP4 that ffmpeg encoded.
/// </summary>
internal sealed class SealedFootage : IDisposable
{
    private readonly TestInstallation _installation = new("hvsealed");

    public SealedFootage()
    {
        Store = new ClipStore(Data, Db, Audit.Log);
        Sink = new SealedClipSink(Store);
    }

    public DateTimeOffset T0 => _installation.T0;

    public DataDirectory Data => _installation.Data;

    public SqliteConnection Db => _installation.Db;

    public InstallationAudit Audit => _installation.Audit;

    public X25519Identity Alice => _installation.Alice;

    public ClipStore Store { get; }

    public SealedClipSink Sink { get; }

    /// <summary>The sample the tests record: see <see cref="Media.FragmentedSample"/>.</summary>
    public static byte[] Sample => Media.FragmentedSample;

    /// <summary>The sample's init segment and fragments, as the ingest hands them to a sink.</summary>
    public static async Task<(byte[] Init, List<(byte[] Bytes, TimeSpan Duration)> Fragments)> SplitAsync(byte[] mp4)
    {
        var reader = new Fmp4Reader(new MemoryStream(mp4));
        var init = await reader.ReadInitSegmentAsync(CancellationToken.None) ?? throw new InvalidDataException("no init segment");
        var fragments = new List<(byte[], TimeSpan)>();
        while (await reader.ReadFragmentAsync(CancellationToken.None) is { } f)
        {
            fragments.Add((f.Bytes.ToArray(), f.Duration));
        }
        return (init.Bytes.ToArray(), fragments);
    }

    /// <summary>
    /// Where the sample's fragments start on a clip's timeline, and (last) where the clip ends: the first fragment is
    /// longer than a second (AAC priming shifts the keyframes), so tests take the times from the footage, not assume them.
    /// </summary>
    public static async Task<TimeSpan[]> BoundariesAsync()
    {
        var (_, fragments) = await SplitAsync(Sample);
        var at = TimeSpan.Zero;
        return [at, .. fragments.Select(f => at += f.Duration)];
    }

    /// <summary>Where each fragment of <paramref name="mp4"/> starts on a clip's timeline, and whether it starts at a keyframe.</summary>
    public static async Task<List<(TimeSpan Start, bool Key)>> FragmentStartsAsync(byte[] mp4)
    {
        var reader = new Fmp4Reader(new MemoryStream(mp4));
        await reader.ReadInitSegmentAsync(CancellationToken.None);
        var starts = new List<(TimeSpan, bool)>();
        TimeSpan? origin = null;
        while (await reader.ReadFragmentAsync(CancellationToken.None) is { } f)
        {
            origin ??= f.Start;
            starts.Add((f.Start - origin.Value, f.StartsWithKeyframe));
        }
        return starts;
    }

    /// <summary>The catalog (and the manifest) keep instants in whole milliseconds.</summary>
    public static DateTimeOffset Ms(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());

    /// <summary>Streams the first <paramref name="fragments"/> fragments of the sample (or of <paramref name="mp4"/>) through the sink as one clip.</summary>
    public Task<Clip> RecordAsync(string camera, DateTimeOffset start, int? fragments = null, bool complete = true, byte[]? mp4 = null) =>
        RecordAsync(Sink, Db, camera, start, fragments, complete, mp4);

    /// <summary>Streams the first <paramref name="fragments"/> fragments of the sample (or of <paramref name="mp4"/>) through <paramref name="sink"/> (whose catalog is <paramref name="db"/>) as one clip.</summary>
    public static async Task<Clip> RecordAsync(SealedClipSink sink, SqliteConnection db, string camera, DateTimeOffset start, int? fragments = null, bool complete = true, byte[]? mp4 = null)
    {
        var (init, all) = await SplitAsync(mp4 ?? Sample);
        var run = sink.RunStarted(camera, start);
        var media = TimeSpan.Zero;
        await using (var writer = await sink.BeginClipAsync(camera, run, start, init, CancellationToken.None))
        {
            foreach (var (bytes, duration) in all.Take(fragments ?? all.Count))
            {
                await writer.WriteFragmentAsync(bytes, duration, CancellationToken.None);
                media += duration;
            }
            if (complete)
            {
                await writer.CompleteAsync(start + media, CancellationToken.None);
            }
        }
        sink.RunEnded(run, start + media, "test");
        return new ClipRepository(db).Query(camera).Single(c => c.Start == start);
    }

    /// <summary>The plaintext of a sealed clip, decrypted with alice's identity.</summary>
    public byte[] Decrypt(Clip clip)
    {
        using var file = File.OpenRead(Path.Combine(Data.Root, clip.Path));
        using var plain = Age.DecryptingStream(file, [Alice]);
        using var copy = new MemoryStream();
        plain.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The plaintext of <paramref name="camera"/>'s first clip, as a file in <paramref name="dir"/> for ffmpeg and ffprobe.</summary>
    public string FirstClipFile(string camera, string dir)
    {
        var path = Path.Combine(dir, camera + ".mp4");
        var clips = new ClipRepository(Db).Query(camera).OrderBy(c => c.Start).ToList();
        Assert.True(clips.Count > 0, $"{camera}: no clip was recorded");
        File.WriteAllBytes(path, Decrypt(clips[0]));
        return path;
    }

    public IReadOnlyList<string> Actions() => Audit.Log.GetEntries(0, (int)Audit.Log.Size()).Select(e => e.Event.Action).ToList();

    public AuditVerificationReport Verify() => _installation.Verify();

    public void Dispose() => _installation.Dispose();
}
