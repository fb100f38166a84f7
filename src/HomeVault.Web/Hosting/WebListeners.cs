using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace HomeVault.Web.Hosting;

/// <summary>The Kestrel listeners of each kind; after start, their bound addresses (port 0 resolved to the real port).</summary>
public sealed class WebListeners
{
    private readonly List<(Listener Kind, ListenOptions Options)> _all = [];

    internal void Add(Listener kind, ListenOptions options) => _all.Add((kind, options));

    public IReadOnlyList<Uri> Urls(Listener kind) => _all
        .Where(l => l.Kind == kind && l.Options.IPEndPoint is not null)
        .Select(l => Url(l.Options.IPEndPoint!))
        .ToList();

    private static Uri Url(IPEndPoint e)
    {
        // A wildcard listener is reached on loopback from this machine.
        var host = e.Address.Equals(IPAddress.Any) ? "127.0.0.1" : e.Address.Equals(IPAddress.IPv6Any) ? "[::1]" : e.Address.ToString();
        if (e.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !host.StartsWith('['))
        {
            host = $"[{host}]";
        }
        return new Uri($"http://{host}:{e.Port}/");
    }
}
