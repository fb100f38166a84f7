using HomeVault.Recording.Processes;

namespace HomeVault.Recording.Cameras;

/// <summary>
/// Kills the ingest (ffmpeg, or the native client's connection) when no byte has arrived for the camera's StallSeconds (counted from process start, too):
/// a camera that keeps the connection open but stops sending would otherwise hold the run forever. It
/// looks four times per limit, so a stall is acted on between 1 and 1.25 times the limit after the last
/// byte; looking twice a second per camera cost wake-ups for nothing.
/// </summary>
internal sealed class StallWatchdog(TimeSpan limit, TimeProvider time)
{
    /// <summary>Whether the watchdog killed the ingest.</summary>
    public bool Fired { get; private set; }

    public async Task WatchAsync(IIngestSource process, CancellationToken ct)
    {
        var poll = limit / 4;
        var lastBytes = -1L;
        var lastChange = time.GetTimestamp();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(poll, time, ct).ConfigureAwait(false);
                var bytes = process.BytesRead;
                if (bytes != lastBytes)
                {
                    lastBytes = bytes;
                    lastChange = time.GetTimestamp();
                }
                else if (time.GetElapsedTime(lastChange) >= limit)
                {
                    Fired = true;
                    process.Kill();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
