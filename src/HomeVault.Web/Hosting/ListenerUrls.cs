using System.Net;

namespace HomeVault.Web.Hosting;

/// <summary>Parses the listener URL lists; only plain http:// (TLS belongs to a reverse proxy in front).</summary>
public static class ListenerUrls
{
    /// <summary>The endpoints of a ';'-separated URL list, or the problem naming the field.</summary>
    public static (IReadOnlyList<IPEndPoint> EndPoints, string? Problem) Parse(string? urls, string field)
    {
        var list = new List<IPEndPoint>();
        foreach (var raw in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(raw, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp
                || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
            {
                return ([], $"{field}: '{raw}' is not an http://HOST:PORT URL (https belongs to a reverse proxy in front)");
            }
            IPAddress? address = uri.Host switch
            {
                "localhost" => IPAddress.Loopback,
                "*" or "+" => IPAddress.Any,
                _ => IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? ip : null,
            };
            if (address is null)
            {
                return ([], $"{field}: '{raw}' must name an IP address or localhost, not a host name");
            }
            list.Add(new IPEndPoint(address, uri.Port));
        }
        return list.Count == 0 ? ([], $"{field}: at least one http:// URL is required") : (list, null);
    }

    /// <summary>Every problem with <paramref name="options"/>, one line each naming the field.</summary>
    public static IReadOnlyList<string> Validate(WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        var (intake, p1) = Parse(options.IntakeUrls, "Http:IntakeUrls");
        var (console, p2) = Parse(options.ConsoleUrls, "Http:ConsoleUrls");
        problems.AddRange(new[] { p1, p2 }.OfType<string>());
        foreach (var e in intake.Where(e => e.Port != 0 && console.Any(c => c.Port == e.Port)))
        {
            problems.Add($"Http:ConsoleUrls: port {e.Port} is also an intake port; the console needs a listener of its own");
        }
        if (options.IntakePermitsPerMinute is < 1 or > 1_000_000)
        {
            problems.Add("Http:IntakePermitsPerMinute: must be 1..1000000");
        }
        if (options.ConsoleIdleMinutes is < 1 or > 1440)
        {
            problems.Add("Http:ConsoleIdleMinutes: must be 1..1440");
        }
        if (options.PublicIntakeUrl.Length > 0
            && (!Uri.TryCreate(options.PublicIntakeUrl, UriKind.Absolute, out var pub) || (pub.Scheme != Uri.UriSchemeHttp && pub.Scheme != Uri.UriSchemeHttps)
                || pub.Query.Length > 0 || pub.Fragment.Length > 0 || pub.UserInfo.Length > 0))
        {
            problems.Add("Http:PublicIntakeUrl: not an http:// or https:// URL without user, query or fragment");
        }
        if (!options.TryGetZone(out _))
        {
            problems.Add($"Http:TimeZone: '{options.TimeZone}' is not a time zone this system knows (an IANA name such as Europe/Berlin, or empty for the system's)");
        }
        for (var i = 0; i < options.Webhooks.Count; i++)
        {
            if (!Uri.TryCreate(options.Webhooks[i], UriKind.Absolute, out var hook) || (hook.Scheme != Uri.UriSchemeHttp && hook.Scheme != Uri.UriSchemeHttps))
            {
                problems.Add($"Http:Webhooks[{i}]: not an http:// or https:// URL");
            }
        }
        for (var i = 0; i < options.TrustedProxies.Count; i++)
        {
            if (!System.Net.IPAddress.TryParse(options.TrustedProxies[i], out _))
            {
                problems.Add($"Http:TrustedProxies[{i}]: not an IP address");
            }
        }
        return problems;
    }
}
