using System.Diagnostics;
using HomeVault.Core.Disclosure.Releases;

namespace HomeVault.Recording.ReleasedClips;

/// <summary>
/// Removes every non-video track from a fragmented MP4 with ffmpeg stream copy (no re-encoding), plaintext in and
/// out through pipes only, so nothing decrypted reaches a file.
/// </summary>
internal static class AudioStripper
{
    public static void VideoOnly(string ffmpegPath, Action<Stream> input, Stream output, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(ffmpegPath)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "mp4", "-i", "pipe:0", "-map", "0:v", "-c", "copy",
            "-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-f", "mp4", "pipe:1",
        })
        {
            psi.ArgumentList.Add(a);
        }
        using var ffmpeg = Process.Start(psi) ?? throw new ReleaseException("ffmpeg could not be started to strip audio");
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
        if (ffmpeg.ExitCode != 0)
        {
            var first = stderr.GetAwaiter().GetResult().Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "(no message)";
            throw new ReleaseException($"ffmpeg could not strip the audio: {first}");
        }
    }
}
