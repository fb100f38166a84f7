using System.Collections.Concurrent;
using HomeVault.Recording.Clips;

namespace HomeVault.Recording.Tests.Support;

/// <summary>Test-only sink: plain .mp4 files in a directory, plus what the recorder said about each.</summary>
internal sealed class DirectorySink(string directory) : IClipSink
{
    private int _seq;

    public ConcurrentQueue<ClipRecord> Clips { get; } = new();

    public IReadOnlyList<ClipRecord> For(string camera) => Clips.Where(c => c.Camera == camera).OrderBy(c => c.Seq).ToList();

    public async ValueTask<IClipWriter> BeginClipAsync(string camera, long runId, DateTimeOffset start, ReadOnlyMemory<byte> initSegment, CancellationToken ct)
    {
        var seq = Interlocked.Increment(ref _seq);
        var path = Path.Combine(directory, $"{camera}-{runId}-{seq:D4}.mp4");
        var file = new FileStream(path, FileMode.CreateNew);
        await file.WriteAsync(initSegment, ct);
        return new Writer(this, new ClipRecord(camera, runId, seq, path, start), file);
    }

    private sealed class Writer(DirectorySink sink, ClipRecord record, FileStream file) : IClipWriter
    {
        public async ValueTask WriteFragmentAsync(ReadOnlyMemory<byte> fragment, TimeSpan mediaDuration, CancellationToken ct)
        {
            await file.WriteAsync(fragment, ct);
            record.MediaDuration += mediaDuration;
            record.Fragments++;
        }

        public async ValueTask CompleteAsync(DateTimeOffset clipEnd, CancellationToken ct)
        {
            await file.FlushAsync(ct);
            record.End = clipEnd;
        }

        public async ValueTask DisposeAsync()
        {
            await file.DisposeAsync();
            sink.Clips.Enqueue(record);
        }
    }
}

internal sealed class ClipRecord(string camera, long runId, int seq, string path, DateTimeOffset start)
{
    public string Camera { get; } = camera;
    public long RunId { get; } = runId;
    public int Seq { get; } = seq;
    public string Path { get; } = path;
    public DateTimeOffset Start { get; } = start;
    public DateTimeOffset? End { get; set; }
    public TimeSpan MediaDuration { get; set; }
    public int Fragments { get; set; }
    public bool Completed => End is not null;
}
