using System.Collections.Concurrent;
using HomeVault.Recording.Clips;

namespace HomeVault.Recording.Tests.Support;

internal sealed class MemoryJournal : IRecordingJournal
{
    private long _next;

    public ConcurrentDictionary<long, RunRecord> Runs { get; } = new();

    public ConcurrentQueue<GapRecord> Gaps { get; } = new();

    public IReadOnlyList<RunRecord> RunsOf(string camera) => Runs.Values.Where(r => r.Camera == camera).OrderBy(r => r.Id).ToList();

    public long RunStarted(string camera, DateTimeOffset at)
    {
        var id = Interlocked.Increment(ref _next);
        Runs[id] = new RunRecord(id, camera, at);
        return id;
    }

    public void RunEnded(long runId, DateTimeOffset at, string reason)
    {
        Runs[runId].End = at;
        Runs[runId].Reason = reason;
    }

    /// <summary>Gaps still open (id → camera, start, cause).</summary>
    public ConcurrentDictionary<long, GapRecord> OpenGaps { get; } = new();

    public long GapOpened(string camera, DateTimeOffset from, string cause)
    {
        var id = Interlocked.Increment(ref _next);
        OpenGaps[id] = new GapRecord(camera, from, from, cause);
        return id;
    }

    public void GapClosed(long? gapId, string camera, DateTimeOffset from, DateTimeOffset until, string cause)
    {
        if (gapId is { } id)
        {
            OpenGaps.TryRemove(id, out _);
        }
        if (until > from)
        {
            Gaps.Enqueue(new GapRecord(camera, from, until, cause));
        }
    }
}

internal sealed class RunRecord(long id, string camera, DateTimeOffset start)
{
    public long Id { get; } = id;
    public string Camera { get; } = camera;
    public DateTimeOffset Start { get; } = start;
    public DateTimeOffset? End { get; set; }
    public string? Reason { get; set; }
}

internal sealed record GapRecord(string Camera, DateTimeOffset From, DateTimeOffset Until, string Cause);
