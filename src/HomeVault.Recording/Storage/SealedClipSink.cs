using System.Collections.Concurrent;
using HomeVault.Core.Clips;
using HomeVault.Recording.Clips;

namespace HomeVault.Recording.Storage;

/// <summary>
/// The production sink: each clip streams into an age file sealed to the owners (ClipStore), is
/// fsynced about once a second of media, and is sealed in the catalog and audit log when complete.
/// Runs and gaps go to the catalog and the audit log too.
/// </summary>
public sealed class SealedClipSink(ClipStore store, TimeSpan? syncEvery = null) : IClipSink, IRecordingJournal
{
    private readonly TimeSpan _syncEvery = syncEvery ?? TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<long, string> _runCameras = new();

    public ValueTask<IClipWriter> BeginClipAsync(string camera, long runId, DateTimeOffset start, ReadOnlyMemory<byte> initSegment, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var clip = store.Begin(camera, runId, start);
        try
        {
            // No sync: the init segment stays in the chunk the age stream holds back, and the header is already fsynced.
            clip.Write(initSegment.Span);
        }
        catch
        {
            clip.Dispose();
            throw;
        }
        return ValueTask.FromResult<IClipWriter>(new Writer(clip, _syncEvery));
    }

    public long RunStarted(string camera, DateTimeOffset at)
    {
        var run = store.StartRun(camera, at);
        _runCameras[run] = camera;
        return run;
    }

    public void RunEnded(long runId, DateTimeOffset at, string reason)
    {
        if (_runCameras.TryRemove(runId, out var camera))
        {
            store.EndRun(camera, runId, at, reason);
        }
    }

    public long GapOpened(string camera, DateTimeOffset from, string cause) => store.OpenGap(camera, from, cause);

    public void GapClosed(long? gapId, string camera, DateTimeOffset from, DateTimeOffset until, string cause) =>
        store.CloseGap(gapId, camera, from, until, cause);

    private sealed class Writer(OpenClip clip, TimeSpan syncEvery) : IClipWriter
    {
        private TimeSpan _media;
        private TimeSpan _syncedAt;
        private bool _done;

        public ValueTask WriteFragmentAsync(ReadOnlyMemory<byte> fragment, TimeSpan mediaDuration, CancellationToken ct)
        {
            _media += mediaDuration;
            clip.WriteFragment(fragment.Span, clip.Start + _media);
            if (_media - _syncedAt >= syncEvery)
            {
                clip.Sync();
                _syncedAt = _media;
            }
            return ValueTask.CompletedTask;
        }

        public ValueTask CompleteAsync(DateTimeOffset end, CancellationToken ct)
        {
            _done = true;
            clip.Complete(end);
            return ValueTask.CompletedTask;
        }

        /// <summary>Without Complete (the run ended mid-clip): everything written is whole fragments, so seal it as it stands.</summary>
        public ValueTask DisposeAsync()
        {
            if (!_done)
            {
                _done = true;
                clip.Complete(clip.Start + _media);
            }
            return ValueTask.CompletedTask;
        }
    }
}
