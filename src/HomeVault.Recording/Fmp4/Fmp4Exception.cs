namespace HomeVault.Recording.Fmp4;

/// <summary>The byte stream is not the fragmented MP4 we asked ffmpeg for.</summary>
public sealed class Fmp4Exception : Exception
{
    public Fmp4Exception()
    {
    }

    public Fmp4Exception(string message) : base(message)
    {
    }

    public Fmp4Exception(string message, Exception inner) : base(message, inner)
    {
    }
}
