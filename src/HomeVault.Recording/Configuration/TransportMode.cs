namespace HomeVault.Recording.Configuration;

/// <summary>How a camera's RTP reaches the recorder.</summary>
public enum TransportMode
{
    /// <summary>Interleaved on the RTSP connection (RFC 2326 10.12): no loss but the camera's own, through any firewall.</summary>
    Tcp,

    /// <summary>RTP and RTCP in datagrams to a pair of local ports, for cameras that offer nothing else.</summary>
    Udp,

    /// <summary>TCP, then UDP when the camera answers SETUP with 461 Unsupported Transport.</summary>
    Auto,
}
