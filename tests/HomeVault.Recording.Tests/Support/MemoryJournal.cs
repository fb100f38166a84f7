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

    public void Gap(string camera, DateTimeOffset from, DateTimeOffset until, string cause) =>
        Gaps.Enqueue(new GapRecord(camera, from, until, cause));
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
