using HomeVault.Core.Disclosure.Releases;
using HomeVault.Recording.Processes;

namespace HomeVault.Recording.ReleasedClips;

/// <summary>
/// Removes every non-video track from a fragmented MP4 with ffmpeg stream copy (no re-encoding), plaintext in and
/// out through pipes only, so nothing decrypted reaches a file.
/// </summary>
internal static class AudioStripper
{
    public static void VideoOnly(string ffmpegPath, Action<Stream> input, Stream output, CancellationToken ct)
    {
        using var ffmpeg = ChildProcess.Start(ffmpegPath,
            [
                "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "mp4", "-i", "pipe:0", "-map", "0:v", "-c", "copy",
                "-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-f", "mp4", "pipe:1",
            ],
            new ChildOptions { Input = ChildInput.Pipe, Output = true }, ct);
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
        if (!exit.Success)
        {
            throw new ReleaseException($"ffmpeg could not strip the audio: {exit.Describe()}");
        }
    }
}
