using HomeVault.Recording.Ffmpeg;

namespace HomeVault.Recording.Cameras;

/// <summary>The ffmpeg ingest as an <see cref="IIngestSource"/>: <c>ffmpeg -c copy</c> writing fragmented MP4 to its stdout.</summary>
internal sealed class FfmpegSource(FfmpegProcess process) : IIngestSource
{
    public string Name => "ffmpeg";

    public int Id => process.Id;

    public Stream StandardOutput => process.StandardOutput;

    public void Kill() => process.Kill();

    public void RequestStop(TimeSpan grace) => process.RequestStop(grace);

    public Task StopAsync(TimeSpan grace) => process.StopAsync(grace);

    public Task<int> WaitForExitAsync(CancellationToken ct) => process.WaitForExitAsync(ct);

    public string DescribeEnd(int exitCode) =>
        exitCode == 0 ? "eof" : $"exit {exitCode}: {IngestRun.Diagnose(process.Stderr) ?? "(no output)"}";

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
