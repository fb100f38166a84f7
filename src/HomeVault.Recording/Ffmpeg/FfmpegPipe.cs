using HomeVault.Recording.Processes;

namespace HomeVault.Recording.Ffmpeg;

/// <summary>
/// One ffmpeg run with everything through pipes (on the one <see cref="ChildProcess"/> runner): <c>input</c> writes
/// its stdin, its stdout is copied to <c>output</c>, so plaintext footage never reaches a file. Returns how it ended.
/// </summary>
internal static class FfmpegPipe
{
    public static ChildExit Run(string ffmpegPath, IEnumerable<string> arguments, Action<Stream> input, Stream output, CancellationToken ct)
    {
        using var ffmpeg = ChildProcess.Start(ffmpegPath, arguments, new ChildOptions { Input = ChildInput.Pipe, Output = true }, ct);
        var feed = Task.Run(() =>
        {
            try
            {
                input(ffmpeg.StandardInput);
            }
            catch (IOException)
            {
                // ffmpeg stopped reading; its exit says why
            }
            finally
            {
                ffmpeg.CloseInput();
            }
        }, CancellationToken.None);
        ffmpeg.StandardOutput.CopyTo(output, 1 << 16);
        feed.GetAwaiter().GetResult();
        var exit = ffmpeg.WaitForExitAsync(CancellationToken.None).GetAwaiter().GetResult();
        ct.ThrowIfCancellationRequested();
        return exit;
    }
}
