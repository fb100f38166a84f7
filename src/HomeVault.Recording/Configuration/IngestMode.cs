namespace HomeVault.Recording.Configuration;

/// <summary>How a camera is recorded.</summary>
public enum IngestMode
{
    /// <summary>Native where the stream allows it (H.264/H.265 video over RTSP/TCP, no audio to keep), else ffmpeg.</summary>
    Auto,

    /// <summary>HomeVault's own RTSP client only; a stream it cannot record is a camera that cannot start.</summary>
    Native,

    /// <summary>An <c>ffmpeg -c copy</c> process per camera.</summary>
    Ffmpeg,
}
