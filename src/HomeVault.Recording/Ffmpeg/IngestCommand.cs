using HomeVault.Recording.Configuration;

namespace HomeVault.Recording.Ffmpeg;

/// <summary>What ffmpeg reported about the camera's streams, learned from a previous run's stderr.</summary>
public sealed record StreamFacts(string? VideoCodec, string? AudioCodec);

/// <summary>Builds the ingest command: RTSP in (over the camera's Transport), video copied, fragmented MP4 to stdout.</summary>
public static class IngestCommand
{
    /// <summary>Audio codecs ffmpeg 5.1's MP4 muxer cannot take by copy; they are transcoded to AAC.</summary>
    public static bool IsMp4CopyableAudio(string codec) =>
        codec is "aac" or "mp3" or "opus" or "alac" or "ac3" or "eac3" or "flac";

    public static IReadOnlyList<string> Build(IngestInput input, AudioMode audio, StreamFacts? facts)
    {
        ArgumentNullException.ThrowIfNull(input);
        var args = new List<string> { "-hide_banner", "-nostats", "-loglevel", "info" };
        args.AddRange(input.Arguments);
        args.AddRange(["-map", "0:v:0", "-c:v", "copy"]);
        if (facts?.VideoCodec == "hevc")
        {
            // hev1 (ffmpeg's default) plays in ffmpeg/VLC; hvc1 is what Apple players insist on.
            args.AddRange(["-tag:v", "hvc1"]);
        }
        var transcode = audio == AudioMode.Aac ||
                        (audio == AudioMode.Copy && facts?.AudioCodec is { } ac && !IsMp4CopyableAudio(ac));
        if (audio != AudioMode.Drop)
        {
            args.AddRange(["-map", "0:a:0?"]);
            args.AddRange(transcode ? ["-c:a", "aac", "-b:a", "64k"] : ["-c:a", "copy"]);
        }
        else
        {
            args.Add("-an");
        }
        args.AddRange([
            "-f", "mp4",
            "-movflags", "+frag_keyframe+empty_moov+default_base_moof",
            "pipe:1",
        ]);
        return args;
    }

    /// <summary>
    /// Reads "Stream #0:N...: Video: h264 ..." / "Audio: pcm_mulaw ..." from the input section of
    /// ffmpeg's stderr. Returns the updated facts; lines after "Output #0" are ignored by the caller.
    /// </summary>
    public static StreamFacts Learn(StreamFacts facts, string line)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(line);
        var t = line.TrimStart();
        if (!t.StartsWith("Stream #0:", StringComparison.Ordinal))
        {
            return facts;
        }
        if (Codec(t, ": Video: ") is { } v && facts.VideoCodec is null)
        {
            return facts with { VideoCodec = v };
        }
        if (Codec(t, ": Audio: ") is { } a && facts.AudioCodec is null)
        {
            return facts with { AudioCodec = a };
        }
        return facts;
    }

    private static string? Codec(string line, string marker)
    {
        var i = line.IndexOf(marker, StringComparison.Ordinal);
        if (i < 0)
        {
            return null;
        }
        var rest = line[(i + marker.Length)..];
        var end = rest.IndexOfAny([' ', ',', '(']);
        return end < 0 ? rest : rest[..end];
    }
}
