using System.Net;
using System.Net.Sockets;

namespace HomeVault.Tests;

/// <summary>Loopback ports for cameras that do not answer.</summary>
internal static class LoopbackPort
{
    /// <summary>A loopback port that was free a moment ago and is closed now: connecting to it is refused at once.</summary>
    public static int Closed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
