using HomeVault.Recording.Fmp4;
using HomeVault.Recording.Processes;

namespace HomeVault.Recording.Cameras;

/// <summary>The ffmpeg ingest as an <see cref="IIngestSource"/>: <c>ffmpeg -c copy</c> writing fragmented MP4 to its stdout, read by <see cref="Fmp4Reader"/>.</summary>
internal sealed class FfmpegSource(ChildProcess process) : IIngestSource
{
    private readonly Fmp4Reader _reader = new(process.StandardOutput);

    public string Name => "ffmpeg";

    public int Id => process.Id;

    public long BytesRead => _reader.BytesRead;

    public ValueTask<InitSegment?> ReadInitSegmentAsync() => _reader.ReadInitSegmentAsync(CancellationToken.None);

    public ValueTask<Fmp4Fragment?> ReadFragmentAsync() => _reader.ReadFragmentAsync(CancellationToken.None);

    public void Kill() => process.Kill();

    public void RequestStop(TimeSpan grace) => process.RequestStop(grace);

    public Task StopAsync(TimeSpan grace) => process.StopAsync(grace);

    /// <summary>From how ffmpeg ended (<see cref="ChildExit"/>).</summary>
    public async Task<string> WaitForEndAsync(CancellationToken ct)
    {
        var exit = await process.WaitForExitAsync(ct).ConfigureAwait(false);
        return exit.Success ? "eof" : exit.Describe();
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
