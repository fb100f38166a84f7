using HomeVault.Recording.Fmp4;

namespace HomeVault.Recording.Cameras;

/// <summary>
/// What a run records from: an init segment, then fragments, from ffmpeg's fragmented MP4 (<see cref="FfmpegSource"/>)
/// or built by the native RTSP client (<c>Rtsp/NativeIngest</c>). The run reads it to its end, stops it with
/// <see cref="RequestStop"/> (the last whole fragment still arrives), and kills it on a stall.
/// </summary>
internal interface IIngestSource : IAsyncDisposable
{
    /// <summary>"ffmpeg" or "native", for the logs and the stall reason.</summary>
    string Name { get; }

    /// <summary>The process that does the work (ffmpeg's, or this one's for native).</summary>
    int Id { get; }

    /// <summary>Bytes of footage so far, for the stall watchdog. Safe from any thread.</summary>
    long BytesRead { get; }

    /// <summary>The init segment; null if the source ended before it. Reads block the calling thread: read from a thread of its own.</summary>
    ValueTask<InitSegment?> ReadInitSegmentAsync();

    /// <summary>The next fragment, its bytes valid until the next read; null at the end.</summary>
    ValueTask<Fmp4Fragment?> ReadFragmentAsync();

    /// <summary>Ends it now (stall, shutdown before the first fragment). Safe from any thread.</summary>
    void Kill();

    /// <summary>Asks it to finish with its last whole fragment, killing it after <paramref name="grace"/>. Safe from any thread.</summary>
    void RequestStop(TimeSpan grace);

    /// <summary>Stops it for a reader that no longer reads (what is left is dropped).</summary>
    Task StopAsync(TimeSpan grace);

    /// <summary>Waits for its end and says it in a few words ("eof", "exit 1: ...", the native client's failure).</summary>
    Task<string> WaitForEndAsync(CancellationToken ct);
}
