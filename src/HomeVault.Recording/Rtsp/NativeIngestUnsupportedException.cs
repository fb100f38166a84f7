namespace HomeVault.Recording.Rtsp;

/// <summary>The camera's stream is one the native ingest does not record (codec, transport, packetization): ffmpeg's job.</summary>
public sealed class NativeIngestUnsupportedException : Exception
{
    public NativeIngestUnsupportedException()
    {
    }

    public NativeIngestUnsupportedException(string message) : base(message)
    {
    }

    public NativeIngestUnsupportedException(string message, Exception inner) : base(message, inner)
    {
    }
}
