using HomeVault.Core.Disclosure.Releases;
using HomeVault.Recording.Ffmpeg;

namespace HomeVault.Recording.ReleasedClips;

/// <summary>
/// Removes every non-video track from a fragmented MP4 with ffmpeg stream copy (no re-encoding), plaintext in and
/// out through pipes only, so nothing decrypted reaches a file.
/// </summary>
internal static class AudioStripper
{
    public static void VideoOnly(string ffmpegPath, Action<Stream> input, Stream output, CancellationToken ct)
    {
        string[] args =
        [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "mp4", "-i", "pipe:0", "-map", "0:v", "-c", "copy",
            "-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-f", "mp4", "pipe:1",
        ];
        var exit = FfmpegPipe.Run(ffmpegPath, args, input, output, ct);
        if (!exit.Success)
        {
            throw new ReleaseException($"ffmpeg could not strip the audio: {exit.Describe()}");
        }
    }
}
