namespace HomeVault.Recording.Configuration;

public enum AudioMode
{
    /// <summary>Copy the camera's audio; codecs MP4 cannot carry (G.711) are transcoded to AAC.</summary>
    Copy,

    /// <summary>Always transcode audio to AAC.</summary>
    Aac,

    /// <summary>Record video only.</summary>
    Drop,
}
