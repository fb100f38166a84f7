using System.Diagnostics;

namespace HomeVault.Recording.Ffmpeg;

/// <summary>
/// One ffmpeg run with everything through pipes: <c>input</c> writes its stdin, its stdout is copied to <c>output</c>,
/// so plaintext footage never reaches a file. Returns ffmpeg's exit code and the first line of its stderr.
/// </summary>
internal static class FfmpegPipe
{
    public static (int ExitCode, string FirstError) Run(string ffmpegPath, IEnumerable<string> arguments, Action<Stream> input, Stream output, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(ffmpegPath)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }
        using var ffmpeg = Process.Start(psi) ?? throw new InvalidOperationException($"{ffmpegPath} could not be started");
        using var kill = ct.Register(() => { try { ffmpeg.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } });
        var stderr = ffmpeg.StandardError.ReadToEndAsync(CancellationToken.None);
        var feed = Task.Run(() =>
        {
            try
            {
                input(ffmpeg.StandardInput.BaseStream);
            }
            catch (IOException)
            {
                // ffmpeg stopped reading; its exit code says why
            }
            finally
            {
                try { ffmpeg.StandardInput.Close(); } catch (IOException) { }
            }
        }, CancellationToken.None);
        ffmpeg.StandardOutput.BaseStream.CopyTo(output, 1 << 16);
        feed.GetAwaiter().GetResult();
        ffmpeg.WaitForExit();
        ct.ThrowIfCancellationRequested();
        var first = stderr.GetAwaiter().GetResult().Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "(no message)";
        return (ffmpeg.ExitCode, first);
    }
}
