using HomeVault.Recording.Processes;

namespace HomeVault.Recording.Cameras;

/// <summary>The ffmpeg ingest as an <see cref="IIngestSource"/>: <c>ffmpeg -c copy</c> writing fragmented MP4 to its stdout.</summary>
internal sealed class FfmpegSource(ChildProcess process) : IIngestSource
{
    private ChildExit? _exit;

    public string Name => "ffmpeg";

    public int Id => process.Id;

    public Stream StandardOutput => process.StandardOutput;

    public void Kill() => process.Kill();

    public void RequestStop(TimeSpan grace) => process.RequestStop(grace);

    public Task StopAsync(TimeSpan grace) => process.StopAsync(grace);

    public async Task<int> WaitForExitAsync(CancellationToken ct)
    {
        var exit = await process.WaitForExitAsync(ct).ConfigureAwait(false);
        _exit = exit;
        return exit.Code;
    }

    /// <summary>From how ffmpeg ended (<see cref="ChildExit"/>); a run that gave up waiting for it has none.</summary>
    public string DescribeEnd(int exitCode) => _exit is not { } exit ? "ffmpeg did not exit" : exit.Success ? "eof" : exit.Describe();

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
