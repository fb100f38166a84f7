namespace HomeVault.Recording.Cameras;

/// <summary>
/// What a run records from: fragmented MP4 on <see cref="StandardOutput"/>, written by ffmpeg (<see cref="FfmpegSource"/>)
/// or by the native RTSP client (<c>Rtsp/NativeIngest</c>). The run reads it to its end, stops it with
/// <see cref="RequestStop"/> (the last whole fragment still arrives), and kills it on a stall.
/// </summary>
internal interface IIngestSource : IAsyncDisposable
{
    /// <summary>"ffmpeg" or "native", for the logs and the stall reason.</summary>
    string Name { get; }

    /// <summary>The process that does the work (ffmpeg's, or this one's for native).</summary>
    int Id { get; }

    /// <summary>The fragmented MP4. Its async reads block the calling thread: read it from a thread of its own.</summary>
    Stream StandardOutput { get; }

    /// <summary>Ends it now (stall, shutdown before the first fragment). Safe from any thread.</summary>
    void Kill();

    /// <summary>Asks it to finish with its last whole fragment, killing it after <paramref name="grace"/>. Safe from any thread.</summary>
    void RequestStop(TimeSpan grace);

    /// <summary>Stops it for a reader that no longer reads (what is left is dropped).</summary>
    Task StopAsync(TimeSpan grace);

    Task<int> WaitForExitAsync(CancellationToken ct);

    /// <summary>The run's end in a few words, from its exit code and what it said.</summary>
    string DescribeEnd(int exitCode);
}
